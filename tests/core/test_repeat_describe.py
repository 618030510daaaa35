"""A series' repeat rule in words with its end (core.repeat.describe_with_end)."""

import datetime as dt
import zoneinfo

import pytest

from core.repeat import describe_with_end

FIRST = dt.datetime(2027, 3, 2, 19, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))  # a Tuesday


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "Every Tuesday"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "Every other Tuesday"),
        # UNTIL is stored in UTC: 21:59:59Z is the end of 1 June in Berlin.
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20270601T215959Z",
            "Every other Tuesday, until 1 Jun 2027",
        ),
        ("FREQ=MONTHLY;BYDAY=1TU;COUNT=4", "Every month on the first Tuesday, 4 times"),
        ("FREQ=MONTHLY;BYDAY=-1TU;COUNT=1", "Every month on the last Tuesday, 1 time"),
    ],
)
def test_words_with_the_end(rule, words):
    assert describe_with_end(rule, first_start=FIRST, timezone="Europe/Berlin") == words
