"""Every change that matters to a group is written to the activity log by its service, inside
the transaction, with who did it (a person or the system)."""

import pytest

from core import bus
from core.actors import Actor
from core.exceptions import ServiceError
from core.models import Activity
from core.refs import ref
from groups import services
from groups.models import Group, Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSON = Activity.ActorKind.PERSON
SYSTEM = Activity.ActorKind.SYSTEM


@pytest.fixture
def group():
    return GroupFactory(join_policy=Group.JoinPolicy.APPROVAL, join_question="")


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


def only(verb):
    return Activity.objects.get(verb=verb)


def test_group_create_and_update_are_logged_with_what_changed():
    user = UserFactory()
    group = services.group_create(actor=user, name="Choir", category="music", city="Leeds")
    created = only("group.created")
    assert (created.actor_kind, created.actor_user, created.group_id) == (PERSON, user, group.pk)
    assert created.subject == ref(group)
    services.group_update(group=group, actor=user, city="York", description="We sing")
    updated = only("group.updated")
    assert updated.data == {"city": ["Leeds", "York"], "description": ["", "We sing"]}
    assert (updated.actor_user, updated.group_id) == (user, group.pk)


def test_a_refused_change_leaves_no_activity(group, organizer):
    with pytest.raises(ServiceError):
        services.group_update(group=group, actor=organizer, latitude=53.8)
    assert not Activity.objects.filter(verb="group.updated").exists()


def test_the_membership_story_is_logged(group, organizer):
    person = UserFactory()
    asked = services.membership_join(group=group, actor=person)
    services.membership_approve(membership=asked, actor=organizer)
    services.membership_set_role(membership=asked, actor=organizer, role=Membership.Role.HOST)
    services.membership_ban(membership=asked, actor=organizer)
    services.membership_unban(membership=asked, actor=organizer)
    declined = services.membership_join(group=group, actor=person)
    services.membership_decline(membership=declined, actor=organizer)
    again = services.membership_join(group=group, actor=person)
    services.membership_approve(membership=again, actor=organizer)
    services.membership_remove(membership=again, actor=organizer)
    group.join_policy = Group.JoinPolicy.OPEN
    group.save()
    joined = services.membership_join(group=group, actor=person)
    services.membership_leave(membership=joined, actor=person)

    rows = list(Activity.objects.filter(group_id=group.pk).order_by("pk"))
    assert [row.verb for row in rows] == [
        "membership.requested",
        "membership.approved",
        "membership.role_changed",
        "membership.banned",
        "membership.unbanned",
        "membership.requested",
        "membership.declined",
        "membership.requested",
        "membership.approved",
        "membership.removed",
        "membership.joined",
        "membership.left",
    ]
    by_person = {"membership.requested", "membership.joined", "membership.left"}
    for row in rows:
        assert row.actor_kind == PERSON
        assert row.actor_user == (person if row.verb in by_person else organizer), row.verb
        assert row.data["user"] == person.pk
        assert row.subject.startswith("groups.membership:")
    assert rows[2].data["role"] == ["member", "host"]


def test_the_system_may_act_and_is_logged_as_the_system(group, organizer):
    asking = MembershipFactory(group=group, status=Membership.Status.PENDING)
    services.membership_approve(membership=asking, actor=Actor.system("imported roster"))
    approved = only("membership.approved")
    assert (approved.actor_kind, approved.actor_reason) == (SYSTEM, "imported roster")
    assert approved.actor_user is None


def test_closing_a_group_is_logged_and_others_act_as_the_system(monkeypatch, group, organizer):
    seen = []
    monkeypatch.setitem(
        bus._subscribers,
        "group.deleting",
        [lambda *, topic, group, actor: seen.append(actor)],
    )
    group_id = group.pk
    services.group_delete(group=group, actor=organizer)
    closed = only("group.closed")
    assert (closed.actor_kind, closed.actor_user, closed.group_id) == (PERSON, organizer, group_id)
    assert seen == [Actor.system("group closed")]


def test_people_cannot_be_acted_for_by_an_api_client(group, organizer):
    asking = MembershipFactory(group=group, status=Membership.Status.PENDING)
    client = Actor.client(client_id=7, name="Partner")
    with pytest.raises(ServiceError):
        services.membership_approve(membership=asking, actor=client)
    with pytest.raises(ServiceError):
        services.membership_join(group=group, actor=client)
    assert not Activity.objects.exists()


def test_a_moved_group_is_logged_as_moved_without_its_coordinates(group, organizer):
    services.group_update(group=group, actor=organizer, latitude=53.8, longitude=-1.55)
    row = Activity.objects.filter(verb="group.updated").latest("pk")
    assert row.data == {"latitude": None, "longitude": None}
