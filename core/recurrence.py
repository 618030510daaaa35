"""RFC 5545 recurrence rules (event series today, volunteer shifts and care slots later), read
with python-dateutil.

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
# ASCII digits only: Python's int() and re's \d also read Arabic-Indic or full-width digits,
# which would be stored and exported to calendars that cannot read them.
_DATE = re.compile(r"^[0-9]{8}$")
_FLOATING = re.compile(r"^[0-9]{8}T[0-9]{6}$")
_UTC = re.compile(r"^[0-9]{8}T[0-9]{6}Z$")
_WEEKDAY = re.compile(r"^([+-]?[0-9]{1,3})?(MO|TU|WE|TH|FR|SA|SU)$")
_NUMBER = re.compile(r"^[+-]?[0-9]{1,6}$")
# 400 Gregorian years are exactly 146097 days (20871 weeks): the calendar, leap years and
# weekdays included, repeats after them, so a rule moved by 400 years gives the same dates.
_CYCLE_YEARS = 400
# How far ahead a rule must give its first date.
FIRST_DATE_WITHIN_YEARS = 100


def _number(text: str) -> int:
    """An integer in ASCII digits (int() alone also takes other scripts' digits and "1_0")."""
    if not _NUMBER.fullmatch(text.strip()):
        raise ValueError(text)
    return int(text)


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
    value = parts[name]
    if not _NUMBER.fullmatch(value) or not low <= int(value) <= high:
        raise ServiceError(
            _("%(part)s must be a number from %(low)s to %(high)s.")
            % {"part": name, "low": low, "high": high}
        )
    return int(value)


def _check_month_days(parts: dict[str, str]) -> None:
    """Refuse day/month pairs that never happen (30 February), which would never produce an
    occurrence and make the rule search for one until the year 9999."""
    if "BYMONTHDAY" not in parts:
        return
    try:
        days = [_number(day) for day in parts["BYMONTHDAY"].split(",")]
        months = [_number(month) for month in parts.get("BYMONTH", "").split(",") if month] or list(
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


def _check_weekdays(parts: dict[str, str]) -> None:
    """BYDAY is weekdays, with a position ("2TU", "-1FR") only where RFC 5545 gives one a
    meaning: the n-th weekday of a month (up to 5) or of a year (up to 53). dateutil fails
    while iterating on a position that does not exist ("99MO")."""
    if "BYDAY" not in parts:
        return
    freq = parts.get("FREQ")
    if freq == "YEARLY" and "BYMONTH" not in parts:
        highest = 53
    elif freq in SETPOS_FREQS:
        highest = 5
    else:
        highest = 0
    for item in parts["BYDAY"].split(","):
        match = _WEEKDAY.match(item.strip())
        if match is None:
            raise ServiceError(
                _("BYDAY takes weekdays such as MO,TH or, monthly, 2TU or -1FR: not “%(item)s”.")
                % {"item": item}
            )
        if match.group(1) is None:
            continue
        position = int(match.group(1))
        if highest == 0:
            raise ServiceError(
                _("A weekday with a number (such as 2TU) needs FREQ=MONTHLY or FREQ=YEARLY.")
            )
        if position == 0 or abs(position) > highest:
            raise ServiceError(
                _("The number before a weekday must be 1 to %(high)s or -1 to -%(high)s.")
                % {"high": highest}
            )


def _check_setpos(parts: dict[str, str]) -> None:
    if "BYSETPOS" not in parts:
        return
    try:
        positions = [_number(item) for item in parts["BYSETPOS"].split(",")]
    except ValueError as error:
        raise ServiceError(_("BYSETPOS must be numbers.")) from error
    if any(position == 0 or abs(position) > 366 for position in positions):
        raise ServiceError(_("BYSETPOS must be 1 to 366 or -1 to -366."))


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
    try:
        return local.replace(tzinfo=tz).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    except OverflowError as error:
        # 9999-12-31 in a zone west of UTC is in the year 10000 in UTC.
        raise ServiceError(_("UNTIL is too far away: give a date such as 20271231.")) from error


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
    _check_weekdays(parts)
    _check_setpos(parts)
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


def first_occurrence(
    *, rule: str, first_starts_at: dt.datetime, timezone: str
) -> dt.datetime | None:
    """The rule's first start (UTC) at or after `first_starts_at`, or None when it gives none
    within FIRST_DATE_WITHIN_YEARS. A rule that never matches ("the fifth Monday that is the
    1st") makes dateutil search until the year 9999 (a second of CPU); here the search runs on
    the rule moved by whole 400-year cycles to a few centuries before 9999, where it ends
    quickly, and the date found is moved back."""
    canonical = normalize_rrule(rule, timezone=timezone)
    tz = zoneinfo.ZoneInfo(timezone)
    start = first_starts_at.astimezone(tz).replace(microsecond=0)
    parts = dict(part.split("=", 1) for part in canonical.split(";"))
    until = parts.pop("UNTIL", None)
    parts.pop("COUNT", None)  # the first date is the first whatever the count
    unbounded = ";".join(f"{name}={value}" for name, value in parts.items())
    room = dt.MAXYEAR - start.year - FIRST_DATE_WITHIN_YEARS
    cycles = max(room // _CYCLE_YEARS, 0)
    shift = cycles * _CYCLE_YEARS
    try:
        moved = rrulestr(unbounded, dtstart=start.replace(year=start.year + shift)).after(
            start.replace(year=start.year + shift), inc=True
        )
    except (ValueError, IndexError, OverflowError) as error:
        raise ServiceError(
            _("The repeat rule is not valid: %(reason)s") % {"reason": str(error)}
        ) from error
    if moved is None:
        return None
    first = moved.replace(year=moved.year - shift)
    if first.year - start.year > FIRST_DATE_WITHIN_YEARS:
        return None
    first = first.astimezone(dt.UTC)
    if until is not None and first > dt.datetime.strptime(until, "%Y%m%dT%H%M%SZ").replace(
        tzinfo=dt.UTC
    ):
        return None
    return first


def _start_near(
    parts: dict[str, str], start: dt.datetime, after: dt.datetime
) -> tuple[dt.datetime, str]:
    """A start for the rule's walk close before `after` that gives the same occurrences from
    there on as `start` does, with the rule parts that dateutil would otherwise take from the
    start ("the 15th", "every 3 March"). Without it a daily series begun in 1900 walks 46,000
    days on every call. The start moves by whole periods of the rule (INTERVAL of them), so
    every period keeps its place; a rule with a COUNT counts from its first start and keeps it
    (COUNT is at most MAX_COUNT, so its walk is short anyway)."""
    local_after = after.astimezone(start.tzinfo)
    if "COUNT" in parts or local_after <= start:
        return start, ""
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts["FREQ"]
    extra = ""
    if freq in ("DAILY", "WEEKLY"):
        period = 1 if freq == "DAILY" else 7
        # One period before the day of `after`, so no occurrence of that day is skipped.
        periods = (local_after.date() - start.date()).days // period - 1
        moved = start + dt.timedelta(days=max(periods // interval, 0) * interval * period)
        return moved, extra
    if freq == "MONTHLY":
        months = (local_after.year - start.year) * 12 + local_after.month - start.month - 1
        steps = max(months // interval, 0) * interval
        index = start.month - 1 + steps
        moved = start.replace(year=start.year + index // 12, month=index % 12 + 1, day=1)
        if "BYMONTHDAY" not in parts and "BYDAY" not in parts:
            extra = f";BYMONTHDAY={start.day}"
    else:  # YEARLY
        steps = max((local_after.year - start.year - 1) // interval, 0) * interval
        moved = start.replace(year=start.year + steps, month=1, day=1)
        if "BYMONTHDAY" not in parts and "BYDAY" not in parts:
            extra = f";BYMONTHDAY={start.day}"
            if "BYMONTH" not in parts:
                extra += f";BYMONTH={start.month}"
    if steps == 0:
        return start, ""
    return moved, extra


def occurrences_between(
    *,
    rule: str,
    first_starts_at: dt.datetime,
    timezone: str,
    after: dt.datetime,
    before: dt.datetime,
) -> Iterator[dt.datetime]:
    """Starts (UTC) of the rule's occurrences with after <= start <= before. The walk starts
    near `after` (see _start_near), not at the series' first start."""
    canonical = normalize_rrule(rule, timezone=timezone)
    tz = zoneinfo.ZoneInfo(timezone)
    start = first_starts_at.astimezone(tz).replace(microsecond=0)
    parts = dict(part.split("=", 1) for part in canonical.split(";"))
    walk_from, extra = _start_near(parts, start, after)
    for occurrence in rrulestr(canonical + extra, dtstart=walk_from).between(
        after, before, inc=True
    ):
        # Round trip through UTC so a wall-clock time that does not exist (skipped by a spring
        # DST change) becomes a real instant.
        yield occurrence.astimezone(dt.UTC)


_WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _weekday_names() -> dict[str, str]:
    return {
        "MO": _("Monday"),
        "TU": _("Tuesday"),
        "WE": _("Wednesday"),
        "TH": _("Thursday"),
        "FR": _("Friday"),
        "SA": _("Saturday"),
        "SU": _("Sunday"),
    }


def _ordinal(position: int) -> str:
    return {
        1: _("first"),
        2: _("second"),
        3: _("third"),
        4: _("fourth"),
        5: _("fifth"),
        -1: _("last"),
        -2: _("second to last"),
    }.get(position, "")


def _and_list(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _days_in_words(byday: str) -> str | None:
    """ "Tuesday and Thursday", "the first Monday"; None for a form without plain words."""
    names = _weekday_names()
    plain: list[str] = []
    numbered: list[str] = []
    for item in byday.split(","):
        match = _WEEKDAY.match(item.strip())
        if match is None:
            return None
        if match.group(1) is None:
            plain.append(names[match.group(2)])
            continue
        ordinal = _ordinal(int(match.group(1)))
        if not ordinal:
            return None
        numbered.append(
            _("the %(ordinal)s %(weekday)s")
            % {"ordinal": ordinal, "weekday": names[match.group(2)]}
        )
    if plain and numbered:
        return None
    return _and_list(plain or numbered)


def describe_rule(rule: str, *, first_start: dt.datetime | None = None) -> str:
    """A repeat rule in plain words for people ("Every Thursday", "Every 2 weeks on Tuesday",
    "Every month on the first Monday"); "Repeats" alone for a rule with no short wording. The
    end (COUNT, UNTIL) is left out: the dates shown say when it stops. `first_start` (local
    wall-clock time) names the weekday of a weekly rule without BYDAY, as dateutil reads it."""
    try:
        parts = _parts(rule)
    except ServiceError:
        return _("Repeats")
    if parts.get("FREQ") == "WEEKLY" and "BYDAY" not in parts and first_start is not None:
        parts["BYDAY"] = _WEEKDAY_CODES[first_start.weekday()]
    freq = parts.get("FREQ")
    try:
        interval = _number(parts.get("INTERVAL", "1"))
    except ValueError:
        return _("Repeats")
    if freq not in ALLOWED_FREQS or interval < 1 or "BYSETPOS" in parts:
        return _("Repeats")
    days = _days_in_words(parts["BYDAY"]) if "BYDAY" in parts else ""
    if days is None:
        return _("Repeats")
    if freq == "DAILY":
        if days or "BYMONTHDAY" in parts or "BYMONTH" in parts:
            return _("Repeats")
        if interval == 1:
            return _("Every day")
        return _("Every %(count)s days") % {"count": interval}
    if freq == "WEEKLY":
        if "BYMONTHDAY" in parts or "BYMONTH" in parts:
            return _("Repeats")
        if interval == 1:
            return _("Every %(days)s") % {"days": days} if days else _("Every week")
        if interval == 2 and days:
            return _("Every other %(days)s") % {"days": days}
        if days:
            return _("Every %(count)s weeks on %(days)s") % {"count": interval, "days": days}
        return _("Every %(count)s weeks") % {"count": interval}
    if freq == "MONTHLY" and "BYMONTH" not in parts:
        if "BYMONTHDAY" in parts:
            if days:
                return _("Repeats")
            try:
                month_days = [_number(day) for day in parts["BYMONTHDAY"].split(",")]
            except ValueError:
                return _("Repeats")
            words = [
                _("the last day") if day == -1 else _("day %(day)s") % {"day": day}
                for day in month_days
                if day > 0 or day == -1
            ]
            if len(words) != len(month_days):
                return _("Repeats")
            days = _and_list(words)
        if interval == 1:
            return _("Every month on %(days)s") % {"days": days} if days else _("Every month")
        if days:
            return _("Every %(count)s months on %(days)s") % {"count": interval, "days": days}
        return _("Every %(count)s months") % {"count": interval}
    if freq == "YEARLY" and not days and "BYMONTHDAY" not in parts and "BYMONTH" not in parts:
        if interval == 1:
            return _("Every year")
        return _("Every %(count)s years") % {"count": interval}
    return _("Repeats")
