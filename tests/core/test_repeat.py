"""Repeat rules from plain choices, checked by core.recurrence like any typed rule."""

import datetime as dt

import pytest

from core import repeat
from core.recurrence import normalize_rrule, occurrences_between


@pytest.mark.parametrize(
    ("day", "position"),
    [
        (dt.date(2027, 3, 2), 1),  # the first Tuesday
        (dt.date(2027, 3, 9), 2),
        (dt.date(2027, 3, 23), 4),
        (dt.date(2027, 3, 30), -1),  # a fifth Tuesday is "the last Tuesday"
    ],
)
def test_weekday_position_in_the_month(day, position):
    assert repeat.weekday_position(day) == position


@pytest.mark.parametrize(
    ("choice", "until", "count", "rule"),
    [
        ("", None, None, ""),
        (repeat.WEEKLY, None, None, "FREQ=WEEKLY;BYDAY=TU"),
        (repeat.EVERY_OTHER_WEEK, None, 5, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;COUNT=5"),
        (
            repeat.MONTHLY_WEEKDAY,
            dt.date(2027, 12, 31),
            None,
            "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20271231",
        ),
    ],
)
def test_rule_from_choices(choice, until, count, rule):
    first = dt.date(2027, 3, 9)
    assert (
        repeat.rule_from_choices(repeat=choice, first_day=first, until=until, count=count) == rule
    )
    if rule:
        normalize_rrule(rule, timezone="Europe/London")


def test_unknown_choice_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown repeat choice"):
        repeat.rule_from_choices(repeat="daily", first_day=dt.date(2027, 3, 9))


def test_monthly_on_the_last_weekday_gives_the_last_one_each_month():
    first = dt.datetime(2027, 3, 30, 18, tzinfo=dt.UTC)  # the 5th (last) Tuesday
    rule = repeat.rule_from_choices(repeat=repeat.MONTHLY_WEEKDAY, first_day=first.date(), count=3)
    dates = [
        d.date()
        for d in occurrences_between(
            rule=rule,
            first_starts_at=first,
            timezone="UTC",
            after=first - dt.timedelta(days=1),
            before=first + dt.timedelta(days=120),
        )
    ]
    assert dates == [dt.date(2027, 3, 30), dt.date(2027, 4, 27), dt.date(2027, 5, 25)]


def test_describe_names_the_choice_and_the_end_in_the_local_day():
    assert repeat.describe("FREQ=WEEKLY;BYDAY=SA", first="Sat 6 Mar") == "Every week from Sat 6 Mar"
    assert (
        repeat.describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;COUNT=4", first="Sat 6 Mar")
        == "Every other week from Sat 6 Mar, 4 times"
    )
    # UNTIL is stored in UTC: 23:59:59 on 31 Dec in New York is 1 Jan in UTC.
    said = repeat.describe(
        "FREQ=MONTHLY;BYDAY=1SA;UNTIL=20280101T045959Z",
        first="Sat 6 Mar",
        timezone="America/New_York",
    )
    assert said == "Every month on the same weekday from Sat 6 Mar, until 2027-12-31"
    assert repeat.describe("FREQ=DAILY", first="x") == "Repeats (FREQ=DAILY) from x"
