"""Event cards in lists (events.cards): the part of a card that is the same for everyone comes
from the cache, and nothing about one viewer ever reaches another: their own "Going" or
"On the waitlist" badge, or an event of a private group they are not in."""

import re

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from core import pagecache
from events import cards as card_list
from events import services
from events.models import Event, Rsvp
from groups.models import Group, Membership
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

GOING = '<span class="badge badge-going">Going</span>'
WAITING = '<span class="badge">On the waitlist</span>'


@pytest.fixture(autouse=True)
def _card_cache_on(settings):
    settings.EVENT_CARD_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def cards(client) -> dict[str, str]:
    """Each card on the event list, by its event's title."""
    response = client.get(reverse("events:list"))
    assert response.status_code == 200
    found = {}
    for card in re.findall(r'<li class="card">(.*?)</li>', response.content.decode(), re.S):
        title = re.search(r"<h3><a [^>]*>([^<]*)</a>", card).group(1)
        found[title] = card
    return found


@pytest.fixture
def choir():
    group = GroupFactory(name="Choir")
    return (
        group,
        EventFactory(group=group, title="Rehearsal", capacity=1),
        EventFactory(group=group, title="Concert"),
    )


def member_of(group):
    return MembershipFactory(group=group).user


def test_one_members_badges_never_reach_another_member_or_a_visitor(client, choir):
    group, rehearsal, concert = choir
    ann, bob = member_of(group), member_of(group)
    RsvpFactory(event=rehearsal, user=ann)
    RsvpFactory(event=concert, user=bob, status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    seen = {}
    # Each viewer in turn, on the cards the one before them left in the cache.
    for name, user in (("ann", ann), ("bob", bob), ("visitor", None), ("ann again", ann)):
        client.logout()
        if user is not None:
            client.force_login(user)
        seen[name] = cards(client)
    for name in ("ann", "ann again"):
        assert GOING in seen[name]["Rehearsal"]
        assert WAITING not in seen[name]["Concert"] + seen[name]["Rehearsal"]
        assert GOING not in seen[name]["Concert"]
    assert WAITING in seen["bob"]["Concert"]
    assert GOING not in seen["bob"]["Rehearsal"] + seen["bob"]["Concert"]
    assert "badge-going" not in "".join(seen["visitor"].values())
    assert "On the waitlist" not in "".join(seen["visitor"].values())
    assert "<!--" not in "".join(card for page in seen.values() for card in page.values())


def test_cards_from_the_cache_read_as_those_rendered_afresh(client, settings, choir):
    group, rehearsal, _concert = choir
    ann = member_of(group)
    RsvpFactory(event=rehearsal, user=ann)
    client.force_login(ann)
    settings.EVENT_CARD_CACHE_SECONDS = 0
    afresh = cards(client)
    settings.EVENT_CARD_CACHE_SECONDS = 60
    assert cards(client) == afresh  # rendered and stored
    assert cards(client) == afresh  # from the cache


def test_a_private_groups_card_in_the_cache_stays_with_its_members(client, choir):
    secret = GroupFactory(name="Circle", visibility=Group.Visibility.PRIVATE)
    EventFactory(group=secret, title="Closed meeting")
    insider = member_of(secret)
    client.force_login(insider)
    assert "Closed meeting" in cards(client)
    for outsider in (UserFactory(), member_of(choir[0])):
        client.force_login(outsider)
        assert "Closed meeting" not in cards(client)
    client.logout()
    assert "Closed meeting" not in cards(client)


def test_an_announced_change_shows_on_the_cards_at_once(
    client, choir, django_capture_on_commit_callbacks
):
    group, rehearsal, _concert = choir
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    client.force_login(member_of(group))
    assert "Full: waitlist" not in cards(client)["Rehearsal"]
    with django_capture_on_commit_callbacks(execute=True):
        services.event_update(event=rehearsal, actor=organizer, title="Dress rehearsal")
    with django_capture_on_commit_callbacks(execute=True):
        services.rsvp_create(event=rehearsal, user=member_of(group))
    shown = cards(client)
    assert "Rehearsal" not in shown
    assert "Full: waitlist" in shown["Dress rehearsal"]


def test_a_card_drawn_from_rows_read_before_a_change_is_not_kept_under_its_version():
    """A change committed between a list's query and its cards (by another request) must not
    leave the old card under the new version: the next list shows the change at once."""
    event = EventFactory(title="Picnic")

    def view(request):
        loaded = list(Event.objects.filter(pk=event.pk).select_related("group"))
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
        pagecache.bump()  # the other request's change, committed meanwhile
        return HttpResponse(card_list.cards_html(loaded))

    first = pagecache.reads_version_first(view)(RequestFactory().get("/"))
    assert "Cancelled" not in first.content.decode()

    def again(request):
        fresh = list(Event.objects.filter(pk=event.pk).select_related("group"))
        return HttpResponse(card_list.cards_html(fresh))

    second = pagecache.reads_version_first(again)(RequestFactory().get("/"))
    assert "Cancelled" in second.content.decode()


def test_cards_outside_a_view_that_read_the_version_first_are_never_kept():
    event = EventFactory(title="Picnic")
    card_list.cards_html(list(Event.objects.filter(pk=event.pk).select_related("group")))
    # Changed without an announcement: only a card kept by the call above could hide it.
    Event.objects.filter(pk=event.pk).update(title="Picnic in the park")

    def view(request):
        fresh = list(Event.objects.filter(pk=event.pk).select_related("group"))
        return HttpResponse(card_list.cards_html(fresh))

    response = pagecache.reads_version_first(view)(RequestFactory().get("/"))
    assert "Picnic in the park" in response.content.decode()
