"""iCalendar (RFC 5545) for shifts: one shift's .ics and the items of a member's feed."""

import datetime as dt
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core import when
from core.calendar import FeedItem, calendar_bytes
from volunteering.models import Shift


def shift_uid(shift: Shift) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "connect.invalid"
    return f"shift-{shift.pk}@{host}"


def shift_title(shift: Shift) -> str:
    return f"{shift.role.name}: {shift.role.project.title}"


def public_location(shift: Shift) -> str:
    """What anyone who may see the shift may know: venue and city, or "Remote"."""
    place = shift.place
    if not place.has_place and shift.role.project.remote:
        return _("Remote")
    return ", ".join(
        p for p in (place.venue_name, place.city or shift.role.project.public_city) if p
    )


def full_location(shift: Shift) -> str:
    """Venue and address, for the volunteers signed up and the coordinators."""
    place = shift.place
    return ", ".join(p for p in (place.venue_name, place.address) if p) or public_location(shift)


def shift_component(shift: Shift, *, show_location: bool, base_url: str) -> icalendar.Event:
    url = base_url + shift.get_absolute_url()
    project = shift.role.project
    component = icalendar.Event()
    component.add("uid", shift_uid(shift))
    component.add("dtstamp", timezone.now().astimezone(dt.UTC))
    component.add("last-modified", shift.updated_at.astimezone(dt.UTC))
    tz = when.zone(shift.timezone)
    component.add("dtstart", shift.starts_at.astimezone(tz))
    component.add("dtend", shift.ends_at.astimezone(tz))
    component.add("summary", shift_title(shift))
    component.add("url", url)
    group = project.group
    component.add("organizer", base_url + group.get_absolute_url(), {"CN": group.name})
    description = [shift.role.description.strip(), shift.notes.strip()]
    if shift.is_cancelled:
        component.add("status", "CANCELLED")
        description.insert(0, _("This shift is cancelled."))
        description.insert(1, shift.cancellation_message.strip())
    else:
        component.add("status", "CONFIRMED")
    location = full_location(shift) if show_location else public_location(shift)
    if location:
        component.add("location", location)
    place = shift.place
    if show_location and place.latitude is not None and place.longitude is not None:
        component.add("geo", (place.latitude, place.longitude))
    description.append(url)
    component.add("description", "\n\n".join(part for part in description if part))
    return component


def shift_feed_item(shift: Shift, *, show_location: bool, base_url: str) -> FeedItem:
    return FeedItem(
        component=shift_component(shift, show_location=show_location, base_url=base_url),
        starts_at=shift.starts_at,
        ends_at=shift.ends_at,
    )


def shift_ics(shift: Shift, *, show_location: bool, base_url: str | None = None) -> bytes:
    base_url = base_url or settings.SITE_URL
    return calendar_bytes(
        [shift_feed_item(shift, show_location=show_location, base_url=base_url)],
        name=shift_title(shift),
    )
