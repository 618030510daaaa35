"""membership_join_invited: a person accepting an invitation from someone who runs the group's
events becomes an active member, whatever the join policy; each rule on the service."""

import pytest

from core.actors import Actor
from core.exceptions import NotAllowed
from core.models import Activity
from groups.models import Group, Membership
from groups.services import membership_join_invited
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory(visibility="private", join_policy=Group.JoinPolicy.APPROVAL)


def client_for(group):
    return Actor.client(client_id=1, name="Partner", managed_group_ids={group.pk})


def test_an_invited_person_becomes_an_active_member_of_a_private_approval_group(group):
    person = UserFactory()
    membership = membership_join_invited(group=group, actor=person, invited_by=client_for(group))
    assert (membership.status, membership.role) == (Membership.Status.ACTIVE, "member")
    row = Activity.objects.get(verb="membership.joined")
    assert row.data == {"user": person.pk, "invited": True}


def test_a_pending_request_becomes_active_and_an_active_member_stays_as_is(group):
    pending = MembershipFactory(group=group, status=Membership.Status.PENDING)
    membership = membership_join_invited(
        group=group, actor=pending.user, invited_by=client_for(group)
    )
    assert membership.pk == pending.pk
    assert membership.status == Membership.Status.ACTIVE
    again = membership_join_invited(group=group, actor=pending.user, invited_by=client_for(group))
    assert again.pk == pending.pk
    assert Activity.objects.filter(verb="membership.joined").count() == 1


def test_a_ban_stands(group):
    banned = MembershipFactory(group=group, status=Membership.Status.BANNED)
    with pytest.raises(NotAllowed):
        membership_join_invited(group=group, actor=banned.user, invited_by=client_for(group))
    banned.refresh_from_db()
    assert banned.status == Membership.Status.BANNED


def test_only_someone_who_runs_the_groups_events_invites(group):
    other = GroupFactory()
    for inviter in (client_for(other), UserFactory(), None):
        with pytest.raises(NotAllowed):
            membership_join_invited(group=group, actor=UserFactory(), invited_by=inviter)
    assert not Membership.objects.filter(group=group, role="member").exists()


def test_the_person_accepts_for_themselves(group):
    with pytest.raises(NotAllowed):
        membership_join_invited(
            group=group, actor=Actor.system("test"), invited_by=client_for(group)
        )
