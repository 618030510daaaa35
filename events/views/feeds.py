"""The iCalendar files: one event, a group's events, and a member's private feed."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import calendar as core_calendar
from events import ical, selectors
from events.permissions import can_see_event_location, events_with_visible_location
from events.views.browse import base_url
from groups.models import Group


def _calendar_response(content: bytes, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-cache"
        response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def event_ics(request, slug):
    """One event as an .ics file (the address only for viewers who may see it)."""
    event = selectors.access_event(user=request.user, slug=slug)
    shown = {event.pk} if can_see_event_location(request.user, event) else set()
    content = ical.calendar_bytes(
        [event], name=event.title, show_location_for=shown, base_url=base_url(request)
    )
    private = event.group.visibility != Group.Visibility.PUBLIC
    return _calendar_response(content, filename=f"{event.slug}.ics", private=private)


@require_safe
def group_events_ics(request, slug):
    """A group's events as a calendar feed; 404 when the visitor may not see its events."""
    group = selectors.access_group_events(user=request.user, slug=slug)
    events = list(selectors.group_feed_events(group=group))
    content = ical.calendar_bytes(
        events,
        name=group.name,
        show_location_for=events_with_visible_location(request.user, events),
        base_url=base_url(request),
    )
    return _calendar_response(
        content, filename=f"{group.slug}.ics", private=group.visibility != Group.Visibility.PUBLIC
    )


@require_safe
def calendar_feed(request, token):
    """A member's private feed of the events they are going to or waiting for, and what other
    apps add for them (core.calendar: their shifts). The token in the address is the key, so
    calendar apps can subscribe without logging in."""
    user = selectors.calendar_feed_owner(token=token)
    events = list(selectors.calendar_feed_events(user=user))
    content = ical.calendar_bytes(
        events,
        name=_("My events on Connect"),
        show_location_for=events_with_visible_location(user, events),
        base_url=base_url(request),
        extra=core_calendar.feed_items(user=user, base_url=base_url(request)),
    )
    return _calendar_response(content, filename="connect.ics", private=True)
