from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from notifications import registry, selectors, services
from notifications.delivery import rows_render
from notifications.forms import PreferencesForm
from notifications.unsubscribe import unsubscribe_token_read


@login_required
def inbox(request):
    """The member's inbox: delivered in-app notices, newest first."""
    page = Paginator(selectors.inbox_for(user=request.user), 20).get_page(request.GET.get("page"))
    rendered, _errors = rows_render(list(page.object_list), delivering=False)
    items = [(row, rendered[row.pk]) for row in page.object_list if rendered.get(row.pk)]
    return render(
        request,
        "notifications/inbox.html",
        {"page": page, "items": items, "unread": selectors.inbox_unread_count(user=request.user)},
    )


@login_required
@require_POST
def mark_read(request, pk):
    """Mark one inbox item read."""
    services.notifications_mark_read(user=request.user, notification_ids=[pk])
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    """Mark every inbox item read."""
    services.notifications_mark_read(user=request.user)
    messages.success(request, _("All notifications marked read."))
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    """Which notices the member gets, on which channel, and when reminders go out."""
    current = services.notification_preferences_get(user=request.user)
    settings_row = services.notification_settings_get(user=request.user)
    initial = {
        "reminder_offsets": settings_row.reminder_offsets,
        "digest_weekday": settings_row.digest_weekday,
    }
    form = PreferencesForm(
        request.POST if request.method == "POST" else None, preferences=current, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(
            user=request.user,
            choices=form.choices(),
            reminder_offsets=form.cleaned_data["reminder_offsets"],
            digest_weekday=form.cleaned_data["digest_weekday"],
        )
        messages.success(request, _("Your notification preferences were saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


# Mail clients send the RFC 8058 one-click POST without a session or CSRF token; the signed
# token in the URL is what authorizes it.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One-click unsubscribe from one kind of email (GET asks to confirm, POST does it)."""
    found = unsubscribe_token_read(token)
    if found is None:
        raise Http404
    user_id, kind_key = found
    kind = registry.get(kind_key)
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if kind is None or user is None:
        raise Http404
    if request.method == "POST":
        services.notification_unsubscribe(user=user, kind=kind.key)
        return render(request, "notifications/unsubscribed.html", {"kind": kind})
    return render(request, "notifications/unsubscribe.html", {"kind": kind, "token": token})
