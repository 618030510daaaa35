"""The signed-in home page starts with "your next event" and suggests events for the member's
interests, from what they may see, at a fixed number of queries."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Rsvp, Tag
from events.selectors import home_events
from groups.models import Group
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db

SIZES = [1, 10, 100]


def soon(days):
    start = timezone.now() + dt.timedelta(days=days)
    return {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}


@pytest.fixture
def member():
    return UserFactory(interests="singing, Board games")


def test_home_starts_with_your_next_event(client, member):
    group = GroupFactory()
    MembershipFactory(group=group, user=member)
    EventFactory(group=group, title="Not going, but sooner", **soon(1))
    later = EventFactory(group=group, title="Choir night", **soon(5))
    RsvpFactory(event=later, user=member)
    RsvpFactory(event=EventFactory(group=group, title="Even later", **soon(9)), user=member)
    client.force_login(member)
    page = client.get(reverse("home")).content.decode()
    assert (
        page.index("Your next event") < page.index("Choir night") < page.index("Find your people")
    )
    picks = home_events(user=member)
    assert picks.next_event == later
    assert later not in picks.in_my_groups
    assert "Not going, but sooner" in [e.title for e in picks.in_my_groups]


def test_waitlisted_is_not_your_next_event(member):
    group = GroupFactory()
    MembershipFactory(group=group, user=member)
    event = EventFactory(group=group, capacity=1, seats_taken=1, **soon(2))
    RsvpFactory(event=event, user=member, status=Rsvp.Status.WAITLISTED)
    assert home_events(user=member).next_event is None


def test_nothing_coming_says_so(client, member):
    client.force_login(member)
    page = client.get(reverse("home")).content.decode()
    assert "You are not going to anything yet." in page


def test_visitors_see_no_next_event_section(client):
    page = client.get(reverse("home")).content.decode()
    assert "Your next event" not in page


def test_interests_pick_events_by_title_and_tag_before_newcomer_ones(member):
    by_title = EventFactory(title="Community SINGING circle", newcomers_welcome=False, **soon(6))
    by_tag = EventFactory(title="Thursday table", newcomers_welcome=False, **soon(7))
    by_tag.tags.add(Tag.objects.create(name="board games", slug="board-games"))
    newcomers = EventFactory(title="Welcome walk", newcomers_welcome=True, **soon(1))
    EventFactory(title="Chess evening", newcomers_welcome=False, **soon(2))
    picks = home_events(user=member).newcomer_friendly
    assert picks == [by_title, by_tag, newcomers]


def test_interest_picks_never_show_a_private_groups_events(member):
    private = GroupFactory(visibility=Group.Visibility.PRIVATE, listed_when_private=True)
    EventFactory(group=private, title="Private singing circle", **soon(3))
    EventFactory(group=private, title="Private welcome", **soon(3))
    assert home_events(user=member).newcomer_friendly == []


def test_without_interests_only_newcomer_picks(member):
    member.interests = ""
    EventFactory(title="Singing", newcomers_welcome=False, **soon(3))
    welcome = EventFactory(title="Welcome walk", newcomers_welcome=True, **soon(1))
    assert home_events(user=member).newcomer_friendly == [welcome]


@pytest.mark.parametrize("n", SIZES)
def test_signed_in_home_costs_the_same_for_1_10_100_events(
    client, member, n, django_assert_num_queries
):
    group = GroupFactory()
    MembershipFactory(group=group, user=member)
    for event in EventFactory.create_batch(n, group=group, title="Singing practice", **soon(3)):
        RsvpFactory(event=event, user=member)
        event.tags.create(name=f"tag-{event.pk}", slug=f"tag-{event.pk}")
    EventFactory.create_batch(n, title="Board games night", **soon(4))
    EventFactory.create_batch(n, newcomers_welcome=True, **soon(5))
    client.force_login(member)
    # user, the header's counts, my groups' events (next event first), the picks, their tags
    with django_assert_num_queries(5):
        response = client.get(reverse("home"))
    assert response.context["picks"].next_event is not None
