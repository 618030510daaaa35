"""iCalendar (RFC 5545) files for one event, a group's events and a member's private feed."""

import datetime as dt
from collections.abc import Collection, Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core import calendar as core_calendar
from core import when
from core.calendar import FeedItem
from events.models import Event


def event_uid(event: Event) -> str:
    """Stable across feeds, so a calendar that gets one event from two feeds sees it once."""
    host = urlsplit(settings.SITE_URL).hostname or "connect.invalid"
    return f"event-{event.pk}@{host}"


def event_zone(event: Event) -> dt.tzinfo:
    """The event's time zone (UTC itself for the UTC aliases, so files say "Z", not a TZID)."""
    return when.zone(event.timezone)


def public_location(event: Event) -> str:
    """What anyone who may see the event may know about where it is: venue name and city (the
    event's own, else its group's)."""
    parts = [event.venue_name, event.public_city]
    if not any(parts) and event.online_url:
        return _("Online")
    return ", ".join(p for p in parts if p)


def full_location(event: Event) -> str:
    """Venue, address, and the online link when there is no address (for people going)."""
    parts = [event.venue_name, event.address]
    if not event.address and event.online_url:
        parts.append(event.online_url)
    return ", ".join(p for p in parts if p) or public_location(event)


def event_component(event: Event, *, show_location: bool, base_url: str) -> icalendar.Event:
    """One VEVENT. The address, coordinates and online link only when `show_location`."""
    url = base_url + event.get_absolute_url()
    component = icalendar.Event()
    component.add("uid", event_uid(event))
    component.add("dtstamp", timezone.now().astimezone(dt.UTC))
    component.add("last-modified", event.updated_at.astimezone(dt.UTC))
    tz = event_zone(event)
    component.add("dtstart", event.starts_at.astimezone(tz))
    component.add("dtend", event.ends_at.astimezone(tz))
    component.add("summary", event.title)
    component.add("url", url)
    component.add("organizer", base_url + event.group.get_absolute_url(), {"CN": event.group.name})

    description = [event.description.strip()]
    if event.is_cancelled:
        component.add("status", "CANCELLED")
        description.insert(0, _("This event is cancelled."))
        if event.cancellation_message:
            description.insert(1, event.cancellation_message.strip())
    else:
        component.add("status", "CONFIRMED")
    if show_location:
        component.add("location", full_location(event))
        if event.latitude is not None and event.longitude is not None:
            component.add("geo", (event.latitude, event.longitude))
        if event.online_url:
            description.append(_("Join online: %(link)s") % {"link": event.online_url})
    else:
        location = public_location(event)
        if location:
            component.add("location", location)
    description.append(url)
    component.add("description", "\n\n".join(part for part in description if part))
    return component


def calendar_bytes(
    events: Iterable[Event],
    *,
    name: str,
    show_location_for: Collection[int],
    base_url: str,
    extra: Iterable[FeedItem] = (),
) -> bytes:
    """A VCALENDAR with one VEVENT per event, the `extra` items other apps gave (a member's
    feed: their shifts), and the VTIMEZONEs they use."""
    items = [
        FeedItem(
            component=event_component(
                event, show_location=event.pk in show_location_for, base_url=base_url
            ),
            starts_at=event.starts_at,
            ends_at=event.ends_at,
        )
        for event in events
    ]
    return core_calendar.calendar_bytes([*items, *extra], name=name)
