"""When things happen, said one way: moments and spans in their own time zone with the zone
named ("Tue 3 Dec 2026, 18:30 (Europe/London)"), and whether something has ended or not
started yet. Events use it today; volunteer shifts and care slots will too."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone as dj_timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.timezones import timezone_names

# The UTC aliases read as UTC itself (calendar files then say "Z", not a TZID).
UTC_NAMES = frozenset(
    {"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "Universal", "Etc/Universal"}
)
SHORT = "short"
LONG = "long"


def zone(name: str) -> dt.tzinfo:
    """The time zone called `name`; UTC for the UTC aliases and for a name that is no zone."""
    if name in UTC_NAMES:
        return dt.UTC
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def local(value: dt.datetime, zone_name: str) -> dt.datetime:
    """The moment as a wall-clock time in the zone."""
    return value.astimezone(zone(zone_name))


def _day_and_time(style: str) -> str:
    if style == LONG:
        # Translators: a long date and time format (Django's date filter), used in emails,
        # e.g. "Tuesday 3 December 2026, 18:30".
        return _("l j F Y, H:i")
    # Translators: date and time format (Django's date filter), e.g. "Tue 3 Dec 2026, 18:30".
    return _("D j M Y, H:i")


def _time_only() -> str:
    # Translators: time format (Django's date filter) for an end on the same day, e.g. "20:00".
    return _("H:i")


def moment(value: dt.datetime, zone_name: str, *, style: str = SHORT) -> str:
    """One moment in the zone, with the zone named: "Tue 3 Dec 2026, 18:30 (Europe/London)";
    LONG spells the day and month out, for emails."""
    return f"{date_format(local(value, zone_name), _day_and_time(style))} ({zone_name})"


# How many spans the process keeps drawn (span_html): a list page draws tens, each the same
# for every viewer reading it in the same language.
SPANS_KEPT = 4096


def span_html(
    starts: dt.datetime, ends: dt.datetime, zone_name: str, *, viewer_zone: str | None = None
) -> SafeString:
    """From-to in the zone, in <time> elements, with the zone named once:
    "Tue 3 Dec 2026, 18:30-20:00 (Europe/London)" (with an en dash; the end's date is given when it
    falls on another day). Given the viewer's zone, the zone is named only when it differs.
    Kept in the process (the last SPANS_KEPT) under everything the text depends on: the two
    moments, the zone, whether it is named, and the language."""
    named = viewer_zone is None or not same_zone(zone_name, viewer_zone)
    # Kept under the moments in UTC: two aware datetimes of the same zone and wall clock
    # compare equal even when they differ in `fold` (the repeated hour when clocks go back).
    return _span_html(
        starts.astimezone(dt.UTC), ends.astimezone(dt.UTC), zone_name, named, get_language()
    )


@functools.lru_cache(maxsize=SPANS_KEPT)
def _span_html(
    starts: dt.datetime, ends: dt.datetime, zone_name: str, named: bool, _language: str | None
) -> SafeString:
    tz = zone(zone_name)
    start, end = starts.astimezone(tz), ends.astimezone(tz)
    same_day = start.date() == end.date()
    html = format_html(
        '<time datetime="{}">{}</time>{}<time datetime="{}">{}</time>',
        start.replace(microsecond=0).isoformat(),
        date_format(start, _day_and_time(SHORT)),
        "\u2013" if same_day else " \u2013 ",
        end.replace(microsecond=0).isoformat(),
        date_format(end, _time_only() if same_day else _day_and_time(SHORT)),
    )
    return format_html("{} ({})", html, zone_name) if named else html


def same_zone(first: str, second: str) -> bool:
    """Whether two zone names read the same (the UTC aliases are one zone)."""
    return first == second or zone(first) == zone(second) == dt.UTC


# From this hour on, a start today is "tonight".
EVENING_HOUR = 17


def relative_day(value: dt.datetime, zone_name: str, now: dt.datetime | None = None) -> str:
    """ "tonight", "today", "tomorrow" or "" for a moment, by the calendar in the zone (the
    viewer's): words to put beside the full date, never instead of it."""
    tz = zone(zone_name)
    local_value = value.astimezone(tz)
    today = (now or dj_timezone.now()).astimezone(tz).date()
    if local_value.date() == today:
        return _("tonight") if local_value.hour >= EVENING_HOUR else _("today")
    if local_value.date() == today + dt.timedelta(days=1):
        return _("tomorrow")
    return ""


def viewer_zone_name(user) -> str:
    """The zone a person reads times in: their profile's, or the site's for a visitor."""
    if user is not None and getattr(user, "is_authenticated", False):
        return getattr(user, "timezone", "") or settings.TIME_ZONE
    return settings.TIME_ZONE


def has_ended(ends_at: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Over: its end is now or earlier."""
    return ends_at <= (now or dj_timezone.now())


def has_started(starts_at: dt.datetime, now: dt.datetime | None = None) -> bool:
    """Begun (or over): its start is now or earlier."""
    return starts_at <= (now or dj_timezone.now())


# Dates outside these make no sense for anything people meet or help at, and near year 1 or
# 9999 the arithmetic of time zones overflows (9999-12-31 in Kiritimati, the year 1 in New
# York): models check every date and time they hold against them first, in clean().
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2999, 12, 31)


def date_range_error():
    return ValidationError(
        _("Give a date between %(first)s and %(last)s.")
        % {"first": EARLIEST_DATE.year, "last": LATEST_DATE.year},
        code="date_range",
    )


def check_date_range(value: dt.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise date_range_error()


def in_date_range(value: dt.datetime, timezone: str) -> bool:
    """Whether the moment's date, in the time zone (UTC when the zone is not valid), is within
    EARLIEST_DATE..LATEST_DATE."""
    zone = zoneinfo.ZoneInfo(timezone) if timezone in timezone_names() else dt.UTC
    try:
        local = value.astimezone(zone)
    except (OverflowError, ValueError):
        return False
    return EARLIEST_DATE <= local.date() <= LATEST_DATE
