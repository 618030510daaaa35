"""The dashboard's insight numbers on a known history, the charts drawn from them, and a
constant number of queries whatever the history's length."""

import datetime as dt

import pytest
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
