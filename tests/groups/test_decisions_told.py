"""People are told what organizers decide about them: a declined request (with a kind note), a
removal (with the reason), a new role; a ban is never announced; organizers hear of requests."""

import pytest
from django.core import mail

from core.exceptions import ServiceError
from core.models import Activity
from groups.models import Group, Membership
from groups.services import (
    membership_ban,
    membership_decline,
    membership_join,
    membership_remove,
    membership_set_role,
)
from notifications.models import Notification
from notifications.tasks import notifications_dispatch_due_task
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return UserFactory()


@pytest.fixture
def group(organizer):
    return GroupFactory(
        organizer=organizer, name="Quiet circle", join_policy=Group.JoinPolicy.APPROVAL
    )


def deliver(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notifications_dispatch_due_task()


def emails_to(user):
    return [m for m in mail.outbox if user.email in m.to]


def test_declined_person_is_told_with_the_note(
    group, organizer, django_capture_on_commit_callbacks
):
    person = UserFactory()
    request = membership_join(group=group, actor=person)
    membership_decline(membership=request, actor=organizer, note="We are full until spring, sorry!")
    deliver(django_capture_on_commit_callbacks)
    (email,) = emails_to(person)
    assert "Quiet circle" in email.subject
    assert "We are full until spring, sorry!" in email.body
    assert Activity.objects.get(verb="membership.declined").data["with_note"] is True


def test_declined_without_a_note_is_still_told(
    group, organizer, django_capture_on_commit_callbacks
):
    person = UserFactory()
    membership_decline(membership=membership_join(group=group, actor=person), actor=organizer)
    deliver(django_capture_on_commit_callbacks)
    assert len(emails_to(person)) == 1


def test_a_note_must_be_plain_text(group, organizer):
    request = membership_join(group=group, actor=UserFactory())
    with pytest.raises(ServiceError):
        membership_decline(membership=request, actor=organizer, note="x" * 1001)
    assert Membership.objects.filter(pk=request.pk).exists()


def test_removed_member_is_told_the_reason(group, organizer, django_capture_on_commit_callbacks):
    member = MembershipFactory(group=group)
    membership_remove(membership=member, actor=organizer, reason="Repeated no-shows")
    deliver(django_capture_on_commit_callbacks)
    (email,) = emails_to(member.user)
    assert "Repeated no-shows" in email.body
    assert Activity.objects.get(verb="membership.removed").data["reason"] == "Repeated no-shows"


def test_banned_person_is_not_told_and_the_reason_is_logged(group, organizer):
    member = MembershipFactory(group=group)
    membership_ban(membership=member, actor=organizer, reason="Harassment")
    assert not Notification.objects.filter(recipient=member.user).exists()
    assert Activity.objects.get(verb="membership.banned").data["reason"] == "Harassment"


def test_promoted_host_is_told_what_hosts_do(group, organizer, django_capture_on_commit_callbacks):
    member = MembershipFactory(group=group)
    membership_set_role(membership=member, actor=organizer, role=Membership.Role.HOST)
    deliver(django_capture_on_commit_callbacks)
    (email,) = emails_to(member.user)
    assert "a host of Quiet circle" in email.subject
    assert "Runs events" in email.body


def test_demotion_to_member_sends_nothing(group, organizer):
    member = MembershipFactory(group=group, role=Membership.Role.HOST)
    membership_set_role(membership=member, actor=organizer, role=Membership.Role.MEMBER)
    assert not Notification.objects.filter(recipient=member.user).exists()


def test_organizers_hear_of_a_request_while_it_waits(
    group, organizer, django_capture_on_commit_callbacks
):
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    person = UserFactory(display_name="Pat Asking")
    membership_join(group=group, actor=person)
    assert not Notification.objects.filter(recipient=host).exists()
    deliver(django_capture_on_commit_callbacks)
    (email,) = emails_to(organizer)
    assert email.subject == "Pat Asking asked to join Quiet circle"


def test_request_notice_is_dropped_once_handled(
    group, organizer, django_capture_on_commit_callbacks
):
    person = UserFactory()
    request = membership_join(group=group, actor=person)
    membership_decline(membership=request, actor=organizer)
    deliver(django_capture_on_commit_callbacks)
    assert emails_to(organizer) == []
