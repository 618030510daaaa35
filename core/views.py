"""Pages of the site's own: the moderation session (core.moderation), and the place names the
"where" box suggests.

Only those who may moderate (active superusers) see these pages; to anyone else they do not
exist (404). A session is started with a reason and lasts an hour at most.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import places
from core.exceptions import ServiceError
from core.moderation import (
    current_session,
    may_moderate,
    moderation_session_end,
    moderation_session_start,
)
from core.web import add_service_error


class ModerationSessionForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you need to see private groups?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Written to the activity log with every private page you open during the session."
        ),
    )


def _require_moderator(request) -> None:
    if not may_moderate(request.user):
        raise Http404


@require_http_methods(["GET", "POST"])
def moderation_session(request):
    """GET shows the moderator's session (or the form to start one); POST starts one."""
    _require_moderator(request)
    form = ModerationSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moderation_session_start(actor=request.user, reason=form.cleaned_data["reason"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Your moderation session has started. It ends within an hour.")
            )
            return redirect("moderation")
    context = {"form": form, "session": current_session(request.user)}
    return render(request, "core/moderation.html", context)


@require_POST
def moderation_session_stop(request):
    """End the moderator's session now."""
    _require_moderator(request)
    moderation_session_end(actor=request.user)
    messages.success(request, _("Your moderation session has ended."))
    return redirect("moderation")


@require_safe
def place_suggestions(request):
    """Town and city names starting with `q`, for the "where" box's suggestions as you type
    (static/js/where.js). The same for everyone, so browsers and proxies may keep it a day."""
    query = request.GET.get("q", "")[:100]
    names = [str(place) for place in places.suggest(query)]
    response = JsonResponse({"suggestions": names})
    response["Cache-Control"] = "public, max-age=86400"
    return response
