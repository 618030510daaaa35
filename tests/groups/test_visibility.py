import pytest
from django.contrib.auth.models import AnonymousUser

from core.moderation import moderation_session_start
from events.models import Event
from groups.models import Group, Membership, active_member_q
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    public = GroupFactory(visibility=Group.Visibility.PUBLIC)
    unlisted = GroupFactory(visibility=Group.Visibility.UNLISTED)
    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    private_listed = GroupFactory(visibility=Group.Visibility.PRIVATE, listed_when_private=True)
    member = UserFactory()
    MembershipFactory(group=private, user=member)
    pending = UserFactory()
    MembershipFactory(group=private, user=pending, status=Membership.Status.PENDING)
    return {
        "public": public,
        "unlisted": unlisted,
        "private": private,
        "private_listed": private_listed,
        "member": member,
        "pending": pending,
        "outsider": UserFactory(),
    }


def test_outsider_never_sees_private_group_content(world):
    for who in ("outsider", "pending"):
        visible = set(Group.objects.content_visible_to(world[who]))
        assert world["private"] not in visible
        assert world["private_listed"] not in visible


def test_active_member_sees_private_group_content(world):
    assert world["private"] in Group.objects.content_visible_to(world["member"])


def test_directory_lists_public_and_listed_private_but_not_unlisted(world):
    from django.contrib.auth.models import AnonymousUser

    listed = set(Group.objects.listed_for(AnonymousUser()))
    assert listed == {world["public"], world["private_listed"]}


def test_event_listing_hides_unlisted_and_private_groups_events(world):
    from django.contrib.auth.models import AnonymousUser

    events = {name: EventFactory(group=world[name]) for name in ("public", "unlisted", "private")}
    assert set(Event.objects.listed_for(AnonymousUser())) == {events["public"]}
    assert set(Event.objects.visible_to(AnonymousUser())) == {events["public"], events["unlisted"]}
    assert events["private"] in Event.objects.listed_for(world["member"])
    assert events["private"] not in Event.objects.visible_to(world["pending"])


def test_site_moderator_sees_and_finds_every_group_and_its_events(world):
    moderator = UserFactory(is_staff=True, is_superuser=True)
    moderation_session_start(actor=moderator, reason="A report")
    groups = {world[name] for name in ("public", "unlisted", "private", "private_listed")}
    assert set(Group.objects.visible_to(moderator)) == groups
    assert set(Group.objects.content_visible_to(moderator)) == groups
    assert set(Group.objects.listed_for(moderator)) == groups
    events = {EventFactory(group=group) for group in groups}
    assert set(Event.objects.visible_to(moderator)) == events
    assert set(Event.objects.listed_for(moderator)) == events
    assert set(Event.objects.filter(active_member_q(moderator, prefix="group__"))) == events


@pytest.mark.parametrize("who", ["staff", "superuser", "inactive_superuser"])
def test_staff_a_superuser_outside_a_session_or_a_deactivated_one_sees_what_anyone_sees(world, who):
    if who == "staff":
        user = UserFactory(is_staff=True)
    elif who == "superuser":
        user = UserFactory(is_staff=True, is_superuser=True)
    else:
        user = UserFactory(is_staff=True, is_superuser=True, is_active=False)
    for method in ("visible_to", "content_visible_to", "listed_for"):
        manager = Group.objects
        assert set(getattr(manager, method)(user)) == set(getattr(manager, method)(AnonymousUser()))
    private_event = EventFactory(group=world["private"])
    assert private_event not in Event.objects.visible_to(user)
    assert not Event.objects.filter(active_member_q(user, prefix="group__")).exists()
