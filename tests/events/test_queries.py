"""The busy pages cost the same number of queries for 1, 10 or 100 rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Rsvp
from groups.models import Membership
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

SIZES = [1, 10, 100]


def make_events(n: int) -> list[Event]:
    group = GroupFactory()
    events = EventFactory.create_batch(n, group=group, latitude=53.8, longitude=-1.55)
    for event in events:
        event.tags.create(name=f"tag-{event.pk}", slug=f"tag-{event.pk}")
    return events


def fill(event: Event, n: int) -> None:
    """n people going and n on the waitlist."""
    for position in range(n):
        RsvpFactory(event=event, user=MembershipFactory(group=event.group).user)
        RsvpFactory(
            event=event,
            user=MembershipFactory(group=event.group).user,
            status=Rsvp.Status.WAITLISTED,
            waitlist_position=position + 1,
        )


@pytest.mark.parametrize("n", SIZES)
def test_event_list_for_anonymous(client, django_assert_num_queries, n):
    make_events(n)
    # page of events (one more row: is there a next page? no count), their tags
    with django_assert_num_queries(2):
        response = client.get(reverse("events:list"), {"lat": "53.8", "lon": "-1.55"})
    assert len(response.context["page"]) == min(n, 20)


@pytest.mark.parametrize("n", SIZES)
def test_event_list_for_member(client, django_assert_num_queries, n):
    events = make_events(n)
    user = MembershipFactory(group=events[0].group).user
    client.force_login(user)
    # user, the header's counts (one query), the page of events with their tags (a JSON
    # array in each row)
    with django_assert_num_queries(3):
        response = client.get(reverse("events:list"))
    assert len(response.context["page"]) == min(n, 20)
    assert f"tag-{events[0].pk}" in response.content.decode()


@pytest.mark.parametrize("n", SIZES)
def test_event_page_for_anonymous(client, django_assert_num_queries, n):
    event = make_events(1)[0]
    fill(event, n)
    # event with group and going and waitlist counts, its tags and hosts (JSON arrays)
    with django_assert_num_queries(1):
        response = client.get(event.get_absolute_url())
    assert response.context["waitlist_count"] == n
    assert f"tag-{event.pk}" in response.content.decode()


@pytest.mark.parametrize("n", SIZES)
def test_event_page_for_organizer(client, django_assert_num_queries, n):
    event = make_events(1)[0]
    fill(event, n)
    organizer = MembershipFactory(group=event.group, role=Membership.Role.ORGANIZER).user
    client.force_login(organizer)
    # user, the header's counts (one query), event (with own membership, own RSVP, the
    # counts, and as JSON arrays its tags, hosts and the first people going)
    with django_assert_num_queries(3):
        response = client.get(event.get_absolute_url())
    assert response.context["going_names"]
    assert response.context["hosts"]
    assert f"tag-{event.pk}" in response.content.decode()
    # user, the header's counts (one query), event, its tags, membership, the RSVPs
    # with their people
    with django_assert_num_queries(6):
        client.get(reverse("events:attendees", kwargs={"slug": event.slug}))


@pytest.mark.parametrize("n", SIZES)
def test_event_page_for_signed_in_outsider(client, django_assert_num_queries, n):
    event = make_events(1)[0]
    fill(event, n)
    client.force_login(UserFactory())
    # user, the header's counts (one query), event (with own membership and RSVP, its tags,
    # hosts, and the people going, who are not named to an outsider)
    with django_assert_num_queries(3):
        response = client.get(event.get_absolute_url())
    assert response.context["going_count"] == n
    assert response.context["going_names"] == ""


@pytest.mark.parametrize("n", SIZES)
def test_home_page(client, django_assert_num_queries, n):
    mine = make_events(n)
    make_events(n)
    EventFactory.create_batch(n, latitude=None, longitude=None)
    user = UserFactory(latitude=53.8, longitude=-1.55)
    MembershipFactory(group=mine[0].group, user=user)
    # newcomer picks and their tags
    with django_assert_num_queries(2):
        client.get(reverse("home"))
    client.force_login(user)
    # user, the header's counts (one query), the three sections' events, their tags
    # (one query)
    with django_assert_num_queries(6):
        response = client.get(reverse("home"))
    picks = response.context["picks"]
    sections = [picks.in_my_groups, picks.nearby, picks.newcomer_friendly]
    assert all(sections)
    shown = [event.pk for section in sections for event in section]
    assert len(shown) == len(set(shown))


@pytest.mark.parametrize("n", SIZES)
def test_my_events_page(client, settings, django_assert_num_queries, n):
    settings.PAGE_SIZE = 20
    user = UserFactory()
    past = timezone.now() - dt.timedelta(days=30)
    for event in make_events(n):
        RsvpFactory(event=event, user=user)
    for event in EventFactory.create_batch(
        n, group=GroupFactory(), starts_at=past, ends_at=past + dt.timedelta(hours=2)
    ):
        RsvpFactory(event=event, user=user)
    for _series in range(n):
        series = EventSeriesFactory()
        MembershipFactory(group=series.group, user=user)
        EventFactory(group=series.group, series=series)
        SeriesRsvpFactory(series=series, user=user)
    client.force_login(user)
    # user, the header's counts (one query), then for coming and past RSVPs each: a
    # page (no count), and the series they go to every date of
    with django_assert_num_queries(5):
        response = client.get(reverse("events:mine"))
    assert len(response.context["upcoming"].object_list) == min(n, 20)
    assert len(response.context["past"].object_list) == min(n, 20)
    assert len(response.context["every_date"]) == n


@pytest.mark.parametrize("n", SIZES)
def test_calendar_feeds(client, django_assert_num_queries, n):
    events = make_events(n)
    user = MembershipFactory(group=events[0].group).user
    for event in events:
        RsvpFactory(event=event, user=user)
    # user by token, events, their RSVPs and memberships (who may see the address), and the
    # shifts other apps add through core.calendar (volunteering: one query)
    with django_assert_num_queries(5):
        client.get(reverse("calendar_feed", kwargs={"token": user.calendar_token}))
    # group, events (anonymous: nobody's address)
    with django_assert_num_queries(2):
        client.get(reverse("group_events_ics", kwargs={"slug": events[0].group.slug}))
