"""Going to every date of a series (a standing RSVP): a confirmation page that says what will
happen, and the POST that starts or stops it. Works without JavaScript."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exceptions import ServiceError
from core.ratelimit import rate_limited
from core.web import message_service_error
from events import selectors, services


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("rsvp")
def standing_rsvp(request, slug):
    """GET: what going to every date (or stopping) will do. POST `action=start|stop`: do it.
    Visitors are sent to log in; a hidden event or one that does not repeat is a 404."""
    preview = selectors.standing_rsvp_preview(user=request.user, slug=slug)
    event = preview.event
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if preview.standing is None and not preview.may_start:
        messages.info(request, _("Join the group to RSVP."))
        return redirect(event)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start" and preview.standing is None:
                services.series_rsvp_start(series=preview.series, user=request.user)
                messages.success(
                    request,
                    _("You're going to every date. Each one can still be released on its own."),
                )
            elif action == "stop" and preview.standing is not None:
                services.series_rsvp_stop(series_rsvp=preview.standing, actor=request.user)
                messages.success(
                    request,
                    _("You no longer go to every date, and your places on coming dates are "
                      "given up."),
                )  # fmt: skip
        except ServiceError as error:
            message_service_error(request, error)
        return redirect(event)
    return render(
        request,
        "events/standing_rsvp_confirm.html",
        {"preview": preview, "event": event, "series": preview.series},
    )
