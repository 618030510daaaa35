"""The dashboard's insight numbers on a known history, the charts drawn from them, and a
constant number of queries whatever the history's length."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from volunteering.models_hours import HoursEntry
from workspace.insight import group_insight

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 20, 12, 0, tzinfo=dt.UTC)


def at(month, day):
    return dt.datetime(2026, month, day, 18, 0, tzinfo=dt.UTC)


@pytest.fixture
def history(organizer, group):
    a, b, c = (UserFactory() for _i in range(3))
    for person in (a, b, c):
        MembershipFactory(group=group, user=person)
    e1 = EventFactory(group=group, title="April", starts_at=at(4, 10))
    e2 = EventFactory(group=group, title="May", starts_at=at(5, 10))
    e3 = EventFactory(group=group, title="June", starts_at=at(6, 15))
    EventFactory(group=group, title="Coming", starts_at=at(7, 1))
    RsvpFactory(event=e1, user=a, checked_in_at=at(4, 10))
    RsvpFactory(event=e1, user=b)
    RsvpFactory(event=e2, user=a, checked_in_at=at(5, 10))
    RsvpFactory(event=e2, user=b)
    RsvpFactory(event=e2, user=c, checked_in_at=at(5, 10))
    RsvpFactory(event=e3, user=b, checked_in_at=at(6, 15))
    # Another group's history counts nowhere.
    other = EventFactory(group=GroupFactory(), starts_at=at(5, 12))
    RsvpFactory(event=other, user=a, checked_in_at=at(5, 12))
    project = VolunteerProjectFactory(group=group)
    for minutes, status in ((60, "verified"), (30, "verified"), (600, "pending")):
        HoursEntry.objects.create(
            volunteer=a,
            project=project,
            worked_on=dt.date(2026, 5, 3),
            minutes=minutes,
            source=HoursEntry.Source.LOGGED,
            status=status,
            reviewed_at=None if status == "pending" else NOW,
        )
    return a, b, c


def test_numbers_on_a_known_history(organizer, group, history):
    insight = group_insight(group=group, user=organizer, now=NOW)
    assert [(e.title, e.going, e.came, e.no_shows) for e in insight.events] == [
        ("April", 2, 1, 1),
        ("May", 3, 2, 1),
        ("June", 1, 1, 0),
    ]
    by_month = {m.start: m for m in insight.months}
    assert len(insight.months) == 12
    assert insight.months[-1].start == dt.date(2026, 6, 1)
    split = {start: (m.first_timers, m.returning) for start, m in by_month.items()}
    assert split[dt.date(2026, 4, 1)] == (1, 0)
    assert split[dt.date(2026, 5, 1)] == (1, 1)
    assert split[dt.date(2026, 6, 1)] == (1, 0)
    assert by_month[dt.date(2026, 5, 1)].volunteer_hours == 1.5
    assert by_month[dt.date(2026, 6, 1)].volunteer_hours == 0
    assert insight.active_30 == 1
    assert insight.active_90 == 3
    assert insight.no_show_rate == 33  # 2 of 6 seats going were not used


def test_first_timers_are_counted_against_the_groups_whole_history(organizer, group):
    """A check-in before the period, even at an event since cancelled, makes a later one
    returning; another group's check-ins do not; two check-ins in one month by a newcomer are
    one first-timer and one returning."""
    old, new, elsewhere = UserFactory(), UserFactory(), UserFactory()
    before = EventFactory(group=group, starts_at=dt.datetime(2025, 3, 1, 18, tzinfo=dt.UTC))
    RsvpFactory(event=before, user=old, checked_in_at=before.starts_at)
    before.status = before.Status.CANCELLED
    before.save(update_fields=["status"])
    other = EventFactory(group=GroupFactory(), starts_at=at(2, 1))
    RsvpFactory(event=other, user=elsewhere, checked_in_at=other.starts_at)
    first, second = (EventFactory(group=group, starts_at=at(3, day)) for day in (5, 19))
    for event in (first, second):
        for person in (old, new, elsewhere):
            RsvpFactory(event=event, user=person, checked_in_at=event.starts_at)
    march = {m.start: m for m in group_insight(group=group, user=organizer, now=NOW).months}[
        dt.date(2026, 3, 1)
    ]
    assert (march.first_timers, march.returning) == (2, 4)


def test_months_count_every_event_and_the_table_shows_the_latest_twelve(organizer, group):
    starts = [NOW - dt.timedelta(days=7 * week + 1) for week in range(20)]
    for start in starts:
        RsvpFactory(event=EventFactory(group=group, starts_at=start), checked_in_at=start)
    insight = group_insight(group=group, user=organizer, now=NOW)
    assert [e.starts_at for e in insight.events] == sorted(starts)[-12:]
    assert sum(m.first_timers + m.returning for m in insight.months) == 20
    assert sum(m.first_timers for m in insight.months) == 20  # twenty different people


def test_volunteer_hours_fall_in_their_month_and_the_period_only(organizer, group):
    project = VolunteerProjectFactory(group=group)
    volunteer = UserFactory()
    for worked_on, minutes in (
        (dt.date(2025, 6, 30), 600),  # before the period's first month
        (dt.date(2025, 7, 1), 60),  # its first day
        (dt.date(2026, 5, 31), 30),
        (dt.date(2026, 6, 1), 90),
        (dt.date(2026, 6, 20), 15),  # today
        (dt.date(2026, 6, 21), 600),  # not yet
    ):
        HoursEntry.objects.create(
            volunteer=volunteer,
            project=project,
            worked_on=worked_on,
            minutes=minutes,
            source=HoursEntry.Source.LOGGED,
            status="verified",
            reviewed_at=NOW,
        )
    minutes = {
        m.start: m.volunteer_minutes
        for m in group_insight(group=group, user=organizer, now=NOW).months
    }
    assert minutes[dt.date(2025, 7, 1)] == 60
    assert minutes[dt.date(2026, 5, 1)] == 30
    assert minutes[dt.date(2026, 6, 1)] == 105
    assert sum(minutes.values()) == 195


def test_the_dashboard_shows_the_insight_read_with_its_counts(client, organizer, group, history):
    """The dashboard reads the single numbers in its one query of counts: the same insight as
    read on its own."""
    client.force_login(organizer)
    with time_machine.travel(NOW, tick=False):
        shown = client.get(reverse("workspace:dashboard", args=[group.slug])).context["insight"]
    assert shown == group_insight(group=group, user=organizer, now=NOW)
    assert shown.active_90 == 3
    assert {m.start: m.volunteer_hours for m in shown.months}[dt.date(2026, 5, 1)] == 1.5


def test_no_show_rate_is_unknown_without_check_ins(organizer, group):
    event = EventFactory(group=group, starts_at=NOW - dt.timedelta(days=3))
    RsvpFactory(event=event)
    assert group_insight(group=group, user=organizer, now=NOW).no_show_rate is None


def test_members_and_outsiders_get_no_insight(group, member):
    from core.exceptions import NotFound

    for who in (member, UserFactory()):
        with pytest.raises(NotFound):
            group_insight(group=group, user=who, now=NOW)


def test_dashboard_draws_the_charts_with_their_numbers(client, organizer, group, history):
    client.force_login(organizer)
    text = client.get(reverse("workspace:dashboard", args=[group.slug])).content.decode()
    assert 'role="img"' in text
    assert "<title" in text
    assert "<desc" in text
    assert "Attendance per event" in text
    assert "Volunteer hours per month" in text
    assert "<table>" in text


def test_dashboard_queries_do_not_grow_with_history(client, organizer, group):
    client.force_login(organizer)
    url = reverse("workspace:dashboard", args=[group.slug])
    counts = []
    made = 0
    for n in (1, 10, 40):
        for i in range(made, n):
            event = EventFactory(group=group, starts_at=NOW - dt.timedelta(days=i + 1))
            RsvpFactory(event=event, checked_in_at=event.starts_at)
            RsvpFactory(event=event)
        made = n
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


@time_machine.travel(NOW, tick=False)
def test_each_events_numbers_are_counted_per_event_not_per_rsvp(organizer, group, history):
    """Going, came and first-timers are subqueries of their own: counted over a join of the
    RSVPs, with GROUP BY, the first-timers' subquery ran once per RSVP, not once per event (a
    weekly group with 25 regulars took seconds)."""
    with CaptureQueriesContext(connection) as queries:
        insight = group_insight(group=group, user=organizer)
    per_event = [q["sql"] for q in queries if '"first_timers"' in q["sql"]]
    assert len(per_event) == 1
    assert "GROUP BY" not in per_event[0].split('"first_timers"')[-1]
    assert [(e.going, e.came) for e in insight.events] == [(2, 1), (3, 2), (1, 1)]
