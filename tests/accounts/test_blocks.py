"""Blocking: each person disappears from the other's member lists and people going, and
neither can message the other; undone from the account's list."""

import pytest
from django.urls import reverse

from accounts.models import Block, is_blocked_either_way
from accounts.services import block_create, block_delete
from core.exceptions import NotAllowed, NotFound, ServiceError
from core.models import Activity
from events.selectors import event_page
from events.services import event_message_send
from groups import selectors
from groups.services import group_message_send
from notifications.models import Notification
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return UserFactory(display_name="Olu Organizer")


@pytest.fixture
def group(organizer):
    return GroupFactory(organizer=organizer)


@pytest.fixture
def ann(group):
    user = UserFactory(display_name="Ann Blocker")
    MembershipFactory(group=group, user=user)
    return user


@pytest.fixture
def bob(group):
    user = UserFactory(display_name="Bob Blocked")
    MembershipFactory(group=group, user=user)
    return user


def test_block_is_logged_once_and_works_both_ways(ann, bob):
    block_create(actor=ann, blocked=bob)
    block_create(actor=ann, blocked=bob)
    assert Block.objects.count() == 1
    assert Activity.objects.filter(verb="person.blocked").count() == 1
    assert is_blocked_either_way(ann, bob)
    assert is_blocked_either_way(bob, ann)
    block_delete(actor=ann, blocked=bob)
    assert not is_blocked_either_way(bob, ann)
    assert Activity.objects.filter(verb="person.unblocked").count() == 1


def test_nobody_blocks_themselves_and_only_a_person_blocks(ann):
    with pytest.raises(ServiceError):
        block_create(actor=ann, blocked=ann)
    from core.actors import Actor

    with pytest.raises(NotAllowed):
        block_create(actor=Actor.system("test"), blocked=ann)


def test_each_disappears_from_the_others_member_list(group, ann, bob, organizer):
    block_create(actor=ann, blocked=bob)
    ann_sees = set(selectors.member_list(group=group, user=ann).values_list("user_id", flat=True))
    bob_sees = set(selectors.member_list(group=group, user=bob).values_list("user_id", flat=True))
    assert bob.pk not in ann_sees
    assert ann.pk not in bob_sees
    assert organizer.pk in ann_sees
    with pytest.raises(NotFound):
        selectors.member_get(group=group, user=bob, user_id=ann.pk)
    # The organizers' own lists are whole.
    everyone = selectors.member_list(group=group, user=organizer)
    assert {ann.pk, bob.pk} <= set(everyone.values_list("user_id", flat=True))


def test_each_disappears_from_the_others_people_going(group, ann, bob):
    event = EventFactory(group=group)
    RsvpFactory(event=event, user=ann)
    RsvpFactory(event=event, user=bob)
    block_create(actor=bob, blocked=ann)
    assert [u.pk for u in event_page(user=ann, slug=event.slug).going_names] == [ann.pk]
    assert [u.pk for u in event_page(user=bob, slug=event.slug).going_names] == [bob.pk]


def test_messages_skip_people_blocked_either_way(group, organizer, ann, bob):
    block_create(actor=ann, blocked=organizer)
    group_message_send(group=group, actor=organizer, subject="Hi", body="Hello")
    told = set(
        Notification.objects.filter(kind="groups.message").values_list("recipient_id", flat=True)
    )
    assert told == {bob.pk}
    event = EventFactory(group=group)
    carl = UserFactory()
    MembershipFactory(group=group, user=carl)
    for person in (ann, bob, carl):
        RsvpFactory(event=event, user=person)
    block_create(actor=organizer, blocked=bob)
    event_message_send(event=event, actor=organizer, subject="Room", body="2B")
    told = set(
        Notification.objects.filter(kind="events.message").values_list("recipient_id", flat=True)
    )
    assert told == {carl.pk}


def test_block_from_the_member_page_and_unblock_from_the_account(client, group, ann, bob):
    client.force_login(ann)
    member_url = reverse("groups:member", args=[group.slug, bob.pk])
    assert client.get(member_url).status_code == 200
    response = client.post(reverse("groups:member_block", args=[group.slug, bob.pk]))
    assert response.status_code == 302
    assert client.get(member_url).status_code == 404
    members = client.get(reverse("groups:members", args=[group.slug])).content.decode()
    assert "Bob Blocked" not in members
    blocked_page = client.get(reverse("accounts:blocked")).content.decode()
    assert "Bob Blocked" in blocked_page
    client.post(reverse("accounts:unblock", args=[bob.pk]))
    assert client.get(member_url).status_code == 200
    # Someone never blocked cannot be "unblocked", and anonymous visitors are sent to log in.
    assert client.post(reverse("accounts:unblock", args=[bob.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("accounts:blocked")).status_code == 302
    assert client.post(reverse("groups:member_block", args=[group.slug, bob.pk])).status_code == 302
    assert not Block.objects.exists()


def test_an_outsider_cannot_block_through_a_private_groups_member_page(bob):
    from groups.models import Group

    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    MembershipFactory(group=private, user=bob)
    outsider = UserFactory()
    from django.test import Client

    client = Client()
    client.force_login(outsider)
    url = reverse("groups:member_block", args=[private.slug, bob.pk])
    assert client.post(url).status_code == 404
    assert not Block.objects.exists()


def test_unblocking_a_huge_id_is_a_404_not_a_server_error(client, ann):
    client.force_login(ann)
    assert client.post(f"/accounts/blocked/{2**70}/unblock/").status_code == 404


def test_each_disappears_from_the_others_people_going_on_the_event_page(client, group, ann, bob):
    """The page reads the people going with the event, in a query compiled once for every
    member: each viewer's own blocks apply, in turn and again."""
    event = EventFactory(group=group)
    carol = MembershipFactory(group=group, user=UserFactory(display_name="Cara Member")).user
    for person in (ann, bob, carol):
        RsvpFactory(event=event, user=person)
    block_create(actor=bob, blocked=ann)
    for _round in range(2):
        for viewer, shown, hidden in (
            (ann, {"Ann Blocker", "Cara Member"}, "Bob Blocked"),
            (bob, {"Bob Blocked", "Cara Member"}, "Ann Blocker"),
            (carol, {"Ann Blocker", "Bob Blocked", "Cara Member"}, None),
        ):
            client.force_login(viewer)
            names = client.get(event.get_absolute_url()).context["going_names"]
            assert all(name in names for name in shown)
            assert hidden is None or hidden not in names
