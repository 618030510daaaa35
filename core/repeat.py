"""Repeat rules from plain choices ("every week", "every other week", "monthly on the second
Tuesday", until a date or N times), for forms where organizers should never type an RRULE.
The rule is then checked and normalized by core.recurrence like any other."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core.recurrence import describe_rule

WEEKLY = "weekly"
EVERY_OTHER_WEEK = "every_other_week"
MONTHLY_WEEKDAY = "monthly_weekday"
REPEAT_CHOICES = [
    ("", _("Does not repeat")),
    (WEEKLY, _("Every week, on the same weekday")),
    (EVERY_OTHER_WEEK, _("Every other week, on the same weekday")),
    (MONTHLY_WEEKDAY, _("Every month, on the same weekday of the month (e.g. the 2nd Tuesday)")),
]
_BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def weekday_position(day: dt.date) -> int:
    """Which of its weekday in the month the date is: 1 to 4, or -1 for the last one (a 5th
    Tuesday exists only some months, so "the last Tuesday" is what people mean)."""
    position = (day.day - 1) // 7 + 1
    return -1 if position == 5 else position


def rule_from_choices(
    *, repeat: str, first_day: dt.date, until: dt.date | None = None, count: int | None = None
) -> str:
    """The RRULE for a choice in REPEAT_CHOICES, anchored on the first date's weekday, ending on
    `until` (a local date, inclusive) or after `count` dates (or neither). '' for no repeat."""
    if not repeat:
        return ""
    weekday = _BYDAY[first_day.weekday()]
    if repeat == WEEKLY:
        parts = ["FREQ=WEEKLY", f"BYDAY={weekday}"]
    elif repeat == EVERY_OTHER_WEEK:
        parts = ["FREQ=WEEKLY", "INTERVAL=2", f"BYDAY={weekday}"]
    elif repeat == MONTHLY_WEEKDAY:
        parts = ["FREQ=MONTHLY", f"BYDAY={weekday_position(first_day)}{weekday}"]
    else:
        raise ValueError(f"unknown repeat choice {repeat!r}")
    if until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}")
    elif count is not None:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def _until_day(value: str, timezone: str) -> str:
    """UNTIL (stored in UTC, or a plain date) as the local date it ends on."""
    try:
        moment = dt.datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return f"{value[:4]}-{value[4:6]}-{value[6:8]}"
    return moment.astimezone(zoneinfo.ZoneInfo(timezone)).date().isoformat()


def describe(rule: str, *, first: str, timezone: str = "UTC") -> str:
    """Plain words for a rule made from REPEAT_CHOICES ("Every week from <first>"); any other
    rule is named as it is."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    freq, interval = parts.get("FREQ"), parts.get("INTERVAL", "1")
    if freq == "WEEKLY" and interval == "1":
        words = gettext("Every week from %(first)s")
    elif freq == "WEEKLY" and interval == "2":
        words = gettext("Every other week from %(first)s")
    elif freq == "MONTHLY" and interval == "1" and parts.get("BYDAY", "")[:-2]:
        words = gettext("Every month on the same weekday from %(first)s")
    else:
        words = gettext("Repeats (%(rule)s) from %(first)s")
    words = words % {"first": first, "rule": rule}
    if "UNTIL" in parts:
        words += ", " + gettext("until %(date)s") % {"date": _until_day(parts["UNTIL"], timezone)}
    elif "COUNT" in parts:
        words += ", " + gettext("%(count)s times") % {"count": parts["COUNT"]}
    return words


def describe_with_end(rule: str, *, first_start: dt.datetime, timezone: str) -> str:
    """The rule in plain words with its end, for a series' page: "Every other Tuesday, until
    1 Mar 2027" or "Every week on Tuesday, 10 times"; `first_start` is the local first start."""
    words = describe_rule(rule, first_start=first_start)
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    if "UNTIL" in parts:
        try:
            day = dt.date.fromisoformat(_until_day(parts["UNTIL"], timezone))
        except ValueError:
            return words
        words += ", " + gettext("until %(date)s") % {"date": date_format(day, "j M Y")}
    elif parts.get("COUNT", "").isdigit():
        count = int(parts["COUNT"])
        words += ", " + ngettext("%(count)s time", "%(count)s times", count) % {"count": count}
    return words
