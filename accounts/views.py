"""Profile, personal data download and account deletion pages (allauth serves the rest)."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from accounts.forms import AccountDeleteForm, ProfileForm
from accounts.models import Block, User
from accounts.profile_sections import sections_for
from accounts.services import (
    block_delete,
    user_calendar_token_rotate,
    user_delete,
    user_deletion_blockers,
    user_export,
    user_profile_update,
)
from core.exceptions import NotFound, ServiceError
from core.web import add_service_error


@csrf_exempt
@require_POST
def language_set(request):
    """The footer's language switcher: Django's set_language (the language cookie, then back to
    the page), and for a signed-in member their profile's language too, so it holds on every
    device and in their emails. A visitor's form carries no CSRF token, so the pages it sits on
    stay cacheable (core.pagecache): all a forged post could do is pick their language. A
    member's post changes their profile and is checked for CSRF as usual."""
    language = request.POST.get("language", "")
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(lambda request: None).process_view(request, None, (), {})
        if refused is not None:
            return refused
        if language in dict(settings.LANGUAGES) and language != request.user.language:
            user_profile_update(user=request.user, actor=request.user, language=language)
    return set_language(request)


@require_GET
@login_required
def profile(request):
    return render(
        request,
        "accounts/profile.html",
        {"profile_user": request.user, "sections": sections_for(user=request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def profile_edit(request):
    # A copy, so that an invalid form never changes the user the rest of the request sees.
    instance = User.objects.get(pk=request.user.pk)
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            user_profile_update(
                user=request.user,
                actor=request.user,
                **form.profile_fields(),
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile_edit.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def data(request):
    if request.method == "GET":
        return render(request, "accounts/data.html")
    payload = user_export(user=request.user)
    filename = f"connect-data-{timezone.localdate():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(payload, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@login_required
def delete(request):
    form = AccountDeleteForm(request.POST if request.method == "POST" else None, user=request.user)
    blockers = user_deletion_blockers(user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user_delete(user=request.user, actor=request.user)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            logout(request)
            messages.success(
                request, _("Your account has been deleted. Thank you for being part of Connect.")
            )
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form, "blockers": blockers})


@require_POST
@login_required
def calendar_token_reset(request):
    user_calendar_token_rotate(user=request.user, actor=request.user)
    messages.success(
        request, _("Your private calendar link has been replaced. The old link no longer works.")
    )
    return redirect("accounts:profile")


@require_GET
@login_required
def blocked(request):
    """The people the user blocked, each with a button to unblock."""
    blocks = (
        Block.objects.filter(blocker=request.user)
        .select_related("blocked")
        .order_by("-created_at", "-pk")
    )
    return render(request, "accounts/blocked.html", {"blocks": blocks})


@require_POST
@login_required
def unblock(request, user_id):
    """Unblock someone the user blocked (404 for anyone else)."""
    block = Block.objects.filter(blocker=request.user, blocked_id=user_id).select_related("blocked")
    found = block.first()
    if found is None:
        raise NotFound
    block_delete(actor=request.user, blocked=found.blocked)
    messages.success(request, _("You unblocked %(name)s.") % {"name": found.blocked.public_name})
    return redirect("accounts:blocked")
