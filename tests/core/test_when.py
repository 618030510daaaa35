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


# Relative days and the viewer's zone


def test_relative_day_says_tonight_today_and_tomorrow_in_the_viewers_calendar():
    import zoneinfo

    london = zoneinfo.ZoneInfo("Europe/London")
    now = dt.datetime(2026, 12, 3, 9, 0, tzinfo=london)
    at = lambda day, hour: dt.datetime(2026, 12, day, hour, 0, tzinfo=london)  # noqa: E731
    assert when.relative_day(at(3, 12), "Europe/London", now) == "today"
    assert when.relative_day(at(3, 19), "Europe/London", now) == "tonight"
    assert when.relative_day(at(4, 10), "Europe/London", now) == "tomorrow"
    assert when.relative_day(at(5, 10), "Europe/London", now) == ""
    # 23:00 in London on the 3rd is 08:00 on the 4th in Tokyo.
    assert when.relative_day(at(3, 23), "Europe/London", now) == "tonight"
    assert when.relative_day(at(3, 23), "Asia/Tokyo", now) == "tomorrow"


def test_span_names_the_zone_only_when_it_differs_from_the_viewers():
    starts = dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)
    ends = starts + dt.timedelta(hours=1)
    assert "(Europe/London)" in when.span_html(starts, ends, "Europe/London")
    assert "(Europe/London)" not in when.span_html(
        starts, ends, "Europe/London", viewer_zone="Europe/London"
    )
    assert "(Europe/London)" in when.span_html(
        starts, ends, "Europe/London", viewer_zone="America/New_York"
    )
    assert "(UTC)" not in when.span_html(starts, ends, "UTC", viewer_zone="Etc/UTC")


def test_a_visitor_reads_times_in_the_sites_zone_and_a_member_in_their_own(settings):
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    settings.TIME_ZONE = "Europe/Madrid"
    assert when.viewer_zone_name(AnonymousUser()) == "Europe/Madrid"
    assert when.viewer_zone_name(UserFactory.build(timezone="Asia/Tokyo")) == "Asia/Tokyo"


def test_a_span_kept_in_the_process_follows_the_moments_zone_and_language():
    """span_html keeps what it drew: the same moments read the same, while another end, zone or
    language is drawn for itself (never another's text)."""
    from django.utils import translation

    ends = START + dt.timedelta(hours=1)
    first = when.span_html(START, ends, "Europe/London")
    kept = when._span_html.cache_info().hits
    assert when.span_html(START, ends, "Europe/London") == first
    assert when._span_html.cache_info().hits == kept + 1  # drawn once, then kept
    # The same moment given in another zone's clock is the same span.
    berlin = START.astimezone(dt.timezone(dt.timedelta(hours=1)))
    assert when.span_html(berlin, ends, "Europe/London") == first
    later = when.span_html(START, ends + dt.timedelta(hours=1), "Europe/London")
    assert "20:30</time>" in later
    assert "19:30</time>" in first
    assert "20:30</time>" in when.span_html(START, ends, "Europe/Berlin")
    with translation.override("es"):
        spanish = when.span_html(START, ends, "Europe/London")
    assert spanish != first
    assert "jue 3 Dic 2026" in spanish
    assert when.span_html(START, ends, "Europe/London") == first


def test_the_repeated_hour_when_clocks_go_back_is_two_spans():
    """01:30 in New York on 1 Nov 2026 happens twice (EDT, then EST): equal as wall clocks of
    one zone, they are two moments, and each is drawn for itself."""
    import zoneinfo

    new_york = zoneinfo.ZoneInfo("America/New_York")
    first = dt.datetime(2026, 11, 1, 1, 30, tzinfo=new_york)
    second = first.replace(fold=1)
    assert second - first == dt.timedelta(0)  # Python's wall-clock arithmetic in one zone
    hour = dt.timedelta(hours=1)
    earlier = when.span_html(first, first + hour, "UTC")
    later = when.span_html(second, second + hour, "UTC")
    assert "05:30</time>" in earlier
    assert "06:30</time>" in later
