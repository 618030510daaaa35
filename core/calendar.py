"""A member's private calendar feed gathers items from every domain app (events, shifts...)
without the app serving the feed importing the others: each app registers a source here in its
AppConfig.ready(), and the feed asks every source for the person's items.

    calendar.register("volunteering", items=lambda *, user, base_url: [...FeedItem...])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import icalendar

PRODID = "-//Connect//Community events//EN"


@dataclass(frozen=True)
class FeedItem:
    """One VEVENT with its span (the span decides which time zone transitions the file holds)."""

    component: icalendar.Event
    starts_at: dt.datetime
    ends_at: dt.datetime


Source = Callable[..., Iterable[FeedItem]]
_sources: dict[str, Source] = {}


def register(name: str, *, items: Source) -> None:
    """Declare a source of feed items; the same name again replaces it."""
    _sources[name] = items


def feed_items(*, user, base_url: str, exclude: Iterable[str] = ()) -> list[FeedItem]:
    """The person's items from every registered source but `exclude`, each limited by its app
    to what the person may see. Each source costs a fixed number of queries."""
    skip = set(exclude)
    items: list[FeedItem] = []
    for name in sorted(_sources):
        if name not in skip:
            items.extend(_sources[name](user=user, base_url=base_url))
    return items


def calendar_bytes(items: Iterable[FeedItem], *, name: str) -> bytes:
    """A VCALENDAR with the items and the VTIMEZONEs they use."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", " ".join(name.split()))
    calendar.add("refresh-interval", dt.timedelta(hours=1), {"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    first = last = None
    for item in items:
        calendar.add_component(item.component)
        first = min(first or item.starts_at, item.starts_at)
        last = max(last or item.ends_at, item.ends_at)
    if first is not None:
        calendar.add_missing_timezones(
            first_date=(first - dt.timedelta(days=366)).date(),
            last_date=(last + dt.timedelta(days=366)).date(),
        )
    return calendar.to_ical()
