"""RFC 5545 recurrence rules for event series, read with python-dateutil.

Occurrences keep their wall-clock time in the series' time zone: a choir that meets at 19:00 in
Berlin meets at 19:00 in summer and in winter, so the UTC instant moves with daylight saving.
Only the parts of RFC 5545 that make sense for community events are accepted, and every
evaluation is bounded by a window, so no rule can loop for long.
"""

import calendar
import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY, rrule, rrulestr
from django.utils.translation import gettext as _

from core.exceptions import ServiceError

MAX_COUNT = 1000
MAX_INTERVAL = 366
ALLOWED_PARTS = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "BYMONTHDAY", "BYMONTH", "WKST"}
ALLOWED_FREQS = {"DAILY": DAILY, "WEEKLY": WEEKLY, "MONTHLY": MONTHLY, "YEARLY": YEARLY}
# BYSETPOS picks the n-th match of each period ("last Friday of the month" is BYDAY=-1FR).
SETPOS_FREQS = {"MONTHLY", "YEARLY"}
_DATE = re.compile(r"^\d{8}$")
_FLOATING = re.compile(r"^\d{8}T\d{6}$")
_UTC = re.compile(r"^\d{8}T\d{6}Z$")


def _parts(text: str) -> dict[str, str]:
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    if not rule or "\n" in rule or ":" in rule:
        raise ServiceError(_("Enter one repeat rule, for example FREQ=WEEKLY;BYDAY=TU."))
    parts: dict[str, str] = {}
    for chunk in rule.strip(";").split(";"):
        name, sep, value = chunk.partition("=")
        name = name.strip().upper()
        if not sep or not value.strip() or name in parts:
            raise ServiceError(_("The repeat rule is not valid: “%(part)s”.") % {"part": chunk})
        parts[name] = value.strip().upper()
    return parts


def _int(parts: dict[str, str], name: str, low: int, high: int) -> int | None:
    if name not in parts:
        return None
    try:
        value = int(parts[name])
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise ServiceError(
            _("%(part)s must be a number from %(low)s to %(high)s.")
            % {"part": name, "low": low, "high": high}
        )
    return value


def _check_month_days(parts: dict[str, str]) -> None:
    """Refuse day/month pairs that never happen (30 February), which would never produce an
    occurrence and make the rule search for one until the year 9999."""
    if "BYMONTHDAY" not in parts:
        return
    try:
        days = [int(day) for day in parts["BYMONTHDAY"].split(",")]
        months = [int(month) for month in parts.get("BYMONTH", "").split(",") if month] or list(
            range(1, 13)
        )
    except ValueError as error:
        raise ServiceError(_("BYMONTHDAY and BYMONTH must be numbers.")) from error
    if any(not 1 <= month <= 12 for month in months) or any(
        day == 0 or not -31 <= day <= 31 for day in days
    ):
        raise ServiceError(_("BYMONTHDAY must be 1 to 31 (or -1 to -31) and BYMONTH 1 to 12."))
    longest = {month: calendar.monthrange(2024, month)[1] for month in months}  # a leap year
    if not any(abs(day) <= longest[month] for day in days for month in months):
        raise ServiceError(_("The repeat rule names a day that does not exist in those months."))


def _until(value: str, tz: zoneinfo.ZoneInfo) -> str:
    """UNTIL in UTC, as dateutil wants it next to a zone-aware start. A date or a floating time
    is read in the series' time zone (a date means "up to the end of that day")."""
    if _UTC.match(value):
        return value
    try:
        if _DATE.match(value):
            day = dt.datetime.strptime(value, "%Y%m%d")  # noqa: DTZ007 - zone set below
            local = day.replace(hour=23, minute=59, second=59)
        elif _FLOATING.match(value):
            local = dt.datetime.strptime(value, "%Y%m%dT%H%M%S")  # noqa: DTZ007 - zone set below
        else:
            raise ValueError(value)
    except ValueError as error:
        raise ServiceError(_("UNTIL must be a date such as 20271231.")) from error
    return local.replace(tzinfo=tz).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def normalize_rrule(text: str, *, timezone: str) -> str:
    """The rule in a canonical form ("FREQ=WEEKLY;BYDAY=TU"), or ServiceError with the reason."""
    tz = zoneinfo.ZoneInfo(timezone)
    parts = _parts(text)
    unknown = sorted(set(parts) - ALLOWED_PARTS - {"BYSETPOS"})
    if unknown:
        raise ServiceError(
            _("The repeat rule cannot use %(parts)s.") % {"parts": ", ".join(unknown)}
        )
    if parts.get("FREQ") not in ALLOWED_FREQS:
        raise ServiceError(_("The repeat rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY."))
    if "BYSETPOS" in parts and parts["FREQ"] not in SETPOS_FREQS:
        raise ServiceError(_("BYSETPOS can only be used with FREQ=MONTHLY or FREQ=YEARLY."))
    if "COUNT" in parts and "UNTIL" in parts:
        raise ServiceError(_("Use COUNT or UNTIL, not both."))
    _int(parts, "INTERVAL", 1, MAX_INTERVAL)
    _int(parts, "COUNT", 1, MAX_COUNT)
    _check_month_days(parts)
    if "UNTIL" in parts:
        parts["UNTIL"] = _until(parts["UNTIL"], tz)
    canonical = ";".join(f"{name}={value}" for name, value in parts.items())
    try:
        rrulestr(canonical, dtstart=dt.datetime(2000, 1, 1, tzinfo=tz))
    except (ValueError, TypeError, KeyError, IndexError) as error:
        raise ServiceError(
            _("The repeat rule is not valid: %(reason)s") % {"reason": str(error)}
        ) from error
    return canonical


def build_rule(*, rule: str, first_starts_at: dt.datetime, timezone: str) -> rrule:
    """The dateutil rule, anchored at the first start's wall-clock time in the series' zone."""
    tz = zoneinfo.ZoneInfo(timezone)
    start = first_starts_at.astimezone(tz).replace(microsecond=0)
    # A zone-aware start keeps the ZoneInfo on every occurrence, so each one gets the offset of
    # its own date: the wall-clock time stays, the UTC instant follows daylight saving.
    return rrulestr(normalize_rrule(rule, timezone=timezone), dtstart=start)


def occurrences_between(
    *,
    rule: str,
    first_starts_at: dt.datetime,
    timezone: str,
    after: dt.datetime,
    before: dt.datetime,
) -> Iterator[dt.datetime]:
    """Starts (UTC) of the rule's occurrences with after <= start <= before."""
    for start in build_rule(rule=rule, first_starts_at=first_starts_at, timezone=timezone).between(
        after, before, inc=True
    ):
        # Round trip through UTC so a wall-clock time that does not exist (skipped by a spring
        # DST change) becomes a real instant.
        yield start.astimezone(dt.UTC)
