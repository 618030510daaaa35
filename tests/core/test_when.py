import datetime as dt

from django.utils import timezone

from core import when

START = dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)


def test_moment_in_its_zone_with_the_zone_named():
    assert when.moment(START, "Europe/Berlin") == "Thu 3 Dec 2026, 19:30 (Europe/Berlin)"
    assert (
        when.moment(START, "Europe/Berlin", style=when.LONG)
        == "Thursday 3 December 2026, 19:30 (Europe/Berlin)"
    )


def test_span_on_one_day_names_the_date_once():
    html = when.span_html(START, START + dt.timedelta(hours=1, minutes=30), "Europe/London")
    assert html == (
        '<time datetime="2026-12-03T18:30:00+00:00">Thu 3 Dec 2026, 18:30</time>\u2013'
        '<time datetime="2026-12-03T20:00:00+00:00">20:00</time> (Europe/London)'
    )


def test_span_over_midnight_names_both_dates():
    html = when.span_html(START, START + dt.timedelta(hours=6), "Europe/London")
    assert "Thu 3 Dec 2026, 18:30</time> \u2013 <time" in html
    assert "Fri 4 Dec 2026, 00:30</time> (Europe/London)" in html


def test_utc_aliases_and_unknown_names_read_as_utc():
    assert when.zone("Etc/UTC") is dt.UTC
    assert when.zone("Nowhere/Town") is dt.UTC
    assert when.local(START, "Nowhere/Town") == START


def test_ended_and_started_are_inclusive_of_now():
    now = timezone.now()
    assert when.has_ended(now, now)
    assert not when.has_ended(now + dt.timedelta(seconds=1), now)
    assert when.has_started(now, now)
    assert not when.has_started(now + dt.timedelta(seconds=1), now)
