"""The event list, searched and filtered every way the form allows, costs a visitor at most 4
queries and a signed-in member at most 6, the same for 1, 10 or 100 events; so do the event
page for a member going or on the waitlist."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Rsvp
from tests.ceilings import MEMBER_MAX, SIZES, VISITOR_MAX
from tests.factories import (
    EventFactory,
    EventSeriesFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    SeriesRsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


TODAY = timezone.localdate()
FILTERS = {
    "none": {},
    "text": {"q": "gathering"},
    "category and mode": {"category": "social", "mode": "in_person"},
    "town": {"where": "Leeds", "radius_km": "25"},
    "dates": {
        "date_from": TODAY.isoformat(),
        "date_to": (TODAY + dt.timedelta(days=30)).isoformat(),
    },
    "group": {"group": "the-walkers"},
    "page size": {"per_page": "5", "page": "1"},
}


def queries(client, url, params) -> tuple[int, int]:
    """(queries run, events listed)."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx), len(response.context["page"].object_list)


@pytest.fixture
def walkers():
    group = GroupFactory(name="The walkers", slug="the-walkers", city="Leeds")
    # A series with dates among the events: its card shows its next dates (one more query).
    series = EventSeriesFactory(group=group, title="Weekly gathering")
    for week in range(3):
        EventFactory(
            group=group,
            series=series,
            title=f"Weekly gathering {week}",
            starts_at=timezone.now() + dt.timedelta(days=2 + 7 * week),
            latitude=53.8,
            longitude=-1.55,
        )
    return group, series


def grow(group, to: int) -> None:
    have = Event.objects.filter(group=group, series__isnull=True).count()
    for event in EventFactory.create_batch(to - have, group=group, latitude=53.8, longitude=-1.55):
        event.tags.create(name=f"tag-{event.pk}", slug=f"tag-{event.pk}")
        RsvpFactory(event=event, user=MembershipFactory(group=group).user)


@pytest.mark.parametrize("who", ["visitor", "member"])
@pytest.mark.parametrize("name", list(FILTERS))
def test_the_event_list_costs_the_same_whatever_is_found(client, walkers, who, name):
    group, series = walkers
    ceiling = VISITOR_MAX
    if who == "member":
        # Going to some events and to every date of the series: badges on their cards.
        member = UserFactory(city="Leeds", latitude=53.8, longitude=-1.55)
        MembershipFactory(group=group, user=member)
        SeriesRsvpFactory(series=series, user=member)
        client.force_login(member)
        ceiling = MEMBER_MAX
    # A town searched for is kept for the visit: the first search starts a session (written
    # once), the later ones read it from the cache.
    client.get(reverse("events:list"), FILTERS[name])
    counts = []
    for size in SIZES:
        grow(group, size)
        if who == "member":
            for event in Event.objects.filter(group=group).exclude(rsvps__user=member)[:2]:
                RsvpFactory(event=event, user=member)
        count, listed = queries(client, reverse("events:list"), FILTERS[name])
        assert listed > 0
        counts.append(count)
    assert counts == [counts[0]] * len(SIZES)
    assert counts[0] <= ceiling


@pytest.mark.parametrize("status", [Rsvp.Status.GOING, Rsvp.Status.WAITLISTED])
@pytest.mark.parametrize("n", SIZES)
def test_the_event_page_of_a_member_who_answered(
    client, django_assert_num_queries, walkers, status, n
):
    group, _series = walkers
    event = EventFactory(group=group, capacity=n + 1)
    for _ in range(n):
        RsvpFactory(event=event, user=MembershipFactory(group=group).user)
    waiting = [
        RsvpFactory(
            event=event,
            user=MembershipFactory(group=group).user,
            status=Rsvp.Status.WAITLISTED,
            waitlist_position=position,
        )
        for position in range(1, n + 1)
    ]
    member = MembershipFactory(group=group).user
    RsvpFactory(
        event=event,
        user=member,
        status=status,
        waitlist_position=n + 1 if status == Rsvp.Status.WAITLISTED else None,
    )
    client.force_login(member)
    # user, the header's counts, the event (with the member's own membership and RSVP, the
    # counts, and as JSON arrays its tags, its hosts, the first people going)
    with django_assert_num_queries(3):
        response = client.get(event.get_absolute_url())
    rsvp = response.context["rsvp"]
    assert rsvp.status == status
    if status == Rsvp.Status.WAITLISTED:
        assert rsvp.place_in_line == len(waiting) + 1
        assert response.context["rsvp_state"].place_in_line == len(waiting) + 1
    else:
        assert rsvp.place_in_line is None


# --- The list without a filter, compiled once for members (events.selectors.event_list_page) -


def _shown(response) -> list[tuple]:
    return [(event.title, event.viewer_status) for event in response.context["page"].object_list]


def test_members_in_turn_each_see_their_own_groups_and_answers_and_changes_at_once(client):
    """The member's list without a filter is read by a query compiled once, binding the reader
    and the time: each member sees the private events of their own groups only, with their own
    answers; an RSVP, a new event and an event that has ended show on the next view."""
    soon = timezone.now() + dt.timedelta(days=1)
    public = EventFactory(title="Open walk", starts_at=soon)
    circle = GroupFactory(visibility="private", name="Quiet circle")
    EventFactory(group=circle, title="Circle night", starts_at=soon + dt.timedelta(hours=1))
    insider = MembershipFactory(group=circle).user
    outsider = UserFactory()
    RsvpFactory(event=public, user=insider)
    expected = {
        insider: [("Open walk", Rsvp.Status.GOING), ("Circle night", None)],
        outsider: [("Open walk", None)],
    }
    for _round in range(2):
        for reader in (insider, outsider, insider):
            client.force_login(reader)
            assert _shown(client.get(reverse("events:list"))) == expected[reader]
    client.force_login(outsider)
    RsvpFactory(event=public, user=outsider, status=Rsvp.Status.WAITLISTED)
    EventFactory(title="New swim", starts_at=soon + dt.timedelta(hours=2))
    assert _shown(client.get(reverse("events:list"))) == [
        ("Open walk", Rsvp.Status.WAITLISTED),
        ("New swim", None),
    ]
    with time_machine.travel(soon + dt.timedelta(hours=1, minutes=30), tick=False):
        # The walk has ended; the swim has not started.
        Event.objects.filter(title="Open walk").update(ends_at=soon + dt.timedelta(hours=1))
        assert _shown(client.get(reverse("events:list"))) == [("New swim", None)]


def test_the_member_list_pages_on_as_the_queryset_does(client):
    walkers = GroupFactory()
    start = timezone.now() + dt.timedelta(days=1)
    for n in range(5):
        EventFactory(group=walkers, title=f"Walk {n}", starts_at=start + dt.timedelta(hours=n))
    client.force_login(UserFactory())
    titles = []
    for number in (1, 2, 3):
        page = client.get(reverse("events:list"), {"page": number, "per_page": 2}).context["page"]
        titles.append([event.title for event in page.object_list])
        assert page.has_next is (number < 3)
    assert titles == [["Walk 0", "Walk 1"], ["Walk 2", "Walk 3"], ["Walk 4"]]
    # Past the last page: the last one, as for anyone.
    page = client.get(reverse("events:list"), {"page": 9, "per_page": 2}).context["page"]
    assert [event.title for event in page.object_list] == ["Walk 4"]
