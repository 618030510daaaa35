"""core.recurrence refuses what would crash or cost too much: a far-off UNTIL that overflows in
UTC, numbers in digits other than ASCII, and walks from a first start a century back."""

import datetime as dt
import time
import zoneinfo

import pytest
from dateutil.rrule import rrulestr

from core.exceptions import ServiceError
from core.recurrence import first_occurrence, normalize_rrule, occurrences_between


@pytest.mark.parametrize("until", ["99991231", "99991231T235959"])
@pytest.mark.parametrize("zone", ["America/New_York", "Pacific/Honolulu", "UTC"])
def test_far_off_until_is_refused_or_kept_never_a_crash(until, zone):
    text = f"FREQ=DAILY;UNTIL={until}"
    if zone == "UTC":
        assert normalize_rrule(text, timezone=zone) == "FREQ=DAILY;UNTIL=99991231T235959Z"
        return
    with pytest.raises(ServiceError) as error:
        normalize_rrule(text, timezone=zone)
    assert error.value.messages == ["UNTIL is too far away: give a date such as 20271231."]


@pytest.mark.parametrize(
    "text",
    [
        "FREQ=DAILY;INTERVAL=\u0663",
        "FREQ=DAILY;COUNT=\uff11\uff10",
        "FREQ=DAILY;INTERVAL=1_0",
        "FREQ=MONTHLY;BYMONTHDAY=\uff11",
        "FREQ=YEARLY;BYMONTH=\u0663;BYMONTHDAY=1",
        "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=\u0661",
        "FREQ=MONTHLY;BYDAY=\u0662TU",
        "FREQ=DAILY;UNTIL=\u0662\u0660\u0662\u0667\u0661\u0662\u0663\u0661",
    ],
)
def test_numbers_are_ascii_digits_only(text):
    with pytest.raises(ServiceError):
        normalize_rrule(text, timezone="UTC")


BERLIN = "Europe/Berlin"
RULES = [
    "FREQ=DAILY",
    "FREQ=DAILY;INTERVAL=3",
    "FREQ=DAILY;INTERVAL=5;BYMONTH=3,10",
    "FREQ=WEEKLY",
    "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=SU;WKST=SU",
    "FREQ=MONTHLY",
    "FREQ=MONTHLY;INTERVAL=5",
    "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR",
    "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    "FREQ=MONTHLY;INTERVAL=7;BYMONTHDAY=-1,15",
    "FREQ=YEARLY",
    "FREQ=YEARLY;INTERVAL=3",
    "FREQ=YEARLY;BYMONTH=6",
    "FREQ=YEARLY;INTERVAL=2;BYDAY=20MO",
    "FREQ=DAILY;UNTIL=20270101",
    "FREQ=WEEKLY;COUNT=1000",
]
FIRSTS = [
    dt.datetime(1900, 1, 31, 19, 30, tzinfo=dt.UTC),
    dt.datetime(1996, 2, 29, 6, 0, tzinfo=dt.UTC),
    dt.datetime(2024, 8, 31, 23, 15, tzinfo=dt.UTC),
]
WINDOWS = [
    (dt.datetime(2026, 3, 1, tzinfo=dt.UTC), 120),
    (dt.datetime(2026, 10, 20, 12, 0, tzinfo=dt.UTC), 400),
    (dt.datetime(2024, 8, 31, 21, 15, tzinfo=dt.UTC), 30),
]


@pytest.mark.parametrize("rule", RULES)
@pytest.mark.parametrize("first", FIRSTS)
def test_walk_from_near_the_window_gives_the_same_dates_as_from_the_first_start(rule, first):
    tz = zoneinfo.ZoneInfo(BERLIN)
    full = rrulestr(normalize_rrule(rule, timezone=BERLIN), dtstart=first.astimezone(tz))
    for after, days in WINDOWS:
        before = after + dt.timedelta(days=days)
        expected = [start.astimezone(dt.UTC) for start in full.between(after, before, inc=True)]
        got = list(
            occurrences_between(
                rule=rule, first_starts_at=first, timezone=BERLIN, after=after, before=before
            )
        )
        assert got == expected, (rule, first, after)


def test_a_series_begun_in_1900_is_quick_to_walk():
    first = dt.datetime(1900, 1, 1, 18, 0, tzinfo=dt.UTC)
    after = dt.datetime(2026, 11, 29, tzinfo=dt.UTC)
    began = time.perf_counter()
    for _ in range(20):
        starts = list(
            occurrences_between(
                rule="FREQ=DAILY",
                first_starts_at=first,
                timezone="America/New_York",
                after=after,
                before=after + dt.timedelta(days=90),
            )
        )
        first_occurrence(rule="FREQ=DAILY", first_starts_at=first, timezone="America/New_York")
    assert len(starts) == 90
    # 20 walks of 126 years took about 20 seconds; from near the window they take milliseconds.
    assert time.perf_counter() - began < 2


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=TH", "Every Thursday"),
        ("FREQ=WEEKLY;BYDAY=TU,TH", "Every Tuesday and Thursday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "Every other Monday"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=MO", "Every 3 weeks on Monday"),
        ("FREQ=DAILY", "Every day"),
        ("FREQ=DAILY;INTERVAL=3;COUNT=5", "Every 3 days"),
        ("FREQ=MONTHLY;BYDAY=1MO", "Every month on the first Monday"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "Every month on the last Friday"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "Every month on day 15"),
        ("FREQ=YEARLY", "Every year"),
        ("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "Repeats"),
        ("not a rule", "Repeats"),
    ],
)
def test_a_rule_in_plain_words(rule, words):
    from core.recurrence import describe_rule

    assert describe_rule(rule) == words


def test_a_weekly_rule_without_days_is_named_by_its_first_start():
    import datetime as dt

    from core.recurrence import describe_rule

    thursday = dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)
    assert describe_rule("FREQ=WEEKLY", first_start=thursday) == "Every Thursday"
