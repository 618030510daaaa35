"""Nobody is told of their own act: each notice kind where the actor can be the recipient
leaves the actor out, and still tells everyone else."""

import datetime as dt

import pytest
from django.utils import timezone

from core.moderation import moderation_session_start
from events import notifications as event_notices
from events.models import Rsvp
from events.services import event_cancel, event_update, rsvp_admit, rsvp_create
from groups import notifications as group_notices
from groups import services as group_services
from groups.models import Group, Membership
from notifications.models import Notification
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    ShiftFactory,
    UserFactory,
)
from volunteering import notifications as shift_notices
from volunteering.services import shift_cancel, shift_update, signup_create

pytestmark = pytest.mark.django_db


def told(user, kind) -> bool:
    return Notification.objects.filter(recipient=user, kind=kind).exists()


@pytest.fixture
def group():
    return GroupFactory()


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


@pytest.fixture
def other_organizer(group, organizer):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


@pytest.fixture
def moderator():
    user = UserFactory(is_staff=True, is_superuser=True)
    moderation_session_start(actor=user, reason="Helping a group")
    return user


def test_moderator_approving_their_own_request_is_not_told(group, organizer, moderator):
    Group.objects.filter(pk=group.pk).update(join_policy=Group.JoinPolicy.APPROVAL)
    group.refresh_from_db()
    own = group_services.membership_join(group=group, actor=moderator)
    group_services.membership_approve(membership=own, actor=moderator)
    assert not told(moderator, group_notices.JOIN_APPROVED)
    someone = group_services.membership_join(group=group, actor=UserFactory())
    group_services.membership_approve(membership=someone, actor=moderator)
    assert told(someone.user, group_notices.JOIN_APPROVED)


def test_moderator_declining_their_own_request_is_not_told(group, organizer, moderator):
    Group.objects.filter(pk=group.pk).update(join_policy=Group.JoinPolicy.APPROVAL)
    group.refresh_from_db()
    own = group_services.membership_join(group=group, actor=moderator)
    group_services.membership_decline(membership=own, actor=moderator)
    assert not told(moderator, group_notices.JOIN_DECLINED)
    someone = group_services.membership_join(group=group, actor=UserFactory())
    group_services.membership_decline(membership=someone, actor=organizer)
    assert told(someone.user, group_notices.JOIN_DECLINED)


def test_organizer_changing_their_own_role_is_not_told(group, organizer, other_organizer):
    own = Membership.objects.get(group=group, user=organizer)
    group_services.membership_set_role(membership=own, actor=organizer, role=Membership.Role.HOST)
    assert not told(organizer, group_notices.ROLE_CHANGED)
    theirs = MembershipFactory(group=group)
    group_services.membership_set_role(
        membership=theirs, actor=other_organizer, role=Membership.Role.HOST
    )
    assert told(theirs.user, group_notices.ROLE_CHANGED)


@pytest.fixture
def event(group, organizer):
    event = EventFactory(group=group)
    RsvpFactory(event=event, user=organizer)
    return event


def test_organizer_moving_their_own_event_is_not_told(group, organizer, event):
    guest = MembershipFactory(group=group).user
    RsvpFactory(event=event, user=guest)
    start = event.starts_at + dt.timedelta(hours=1)
    event_update(
        event=event, actor=organizer, starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    assert not told(organizer, event_notices.CHANGED)
    assert told(guest, event_notices.CHANGED)


def test_organizer_cancelling_their_own_event_is_not_told(group, organizer, event):
    guest = MembershipFactory(group=group).user
    RsvpFactory(event=event, user=guest)
    event_cancel(event=event, actor=organizer, message="The hall is flooded.")
    assert not told(organizer, event_notices.CANCELLED)
    assert told(guest, event_notices.CANCELLED)


def test_host_going_on_the_waitlist_is_not_told_it_is_forming(group, organizer):
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    full = EventFactory(group=group, capacity=1, seats_taken=1)
    rsvp = rsvp_create(event=full, user=host)
    assert rsvp.status == Rsvp.Status.WAITLISTED
    assert not told(host, event_notices.WAITLIST_FORMING)
    assert told(organizer, event_notices.WAITLIST_FORMING)


def test_organizer_admitting_themselves_is_not_told_but_gets_reminders(group, organizer):
    full = EventFactory(group=group, capacity=1, seats_taken=1)
    rsvp = rsvp_create(event=full, user=organizer)
    rsvp_admit(rsvp=rsvp, actor=organizer)
    assert not told(organizer, event_notices.PROMOTED)
    assert told(organizer, event_notices.REMINDER)
    member = MembershipFactory(group=group).user
    waiting = rsvp_create(event=full, user=member)
    rsvp_admit(rsvp=waiting, actor=organizer)
    assert told(member, event_notices.PROMOTED)


@pytest.fixture
def shift(group, organizer):
    shift = ShiftFactory(role__project__group=group)
    signup_create(shift=shift, user=organizer, actor=organizer)
    return shift


def test_coordinator_moving_their_own_shift_is_not_told(group, organizer, shift):
    volunteer = MembershipFactory(group=group).user
    signup_create(shift=shift, user=volunteer, actor=volunteer)
    start = timezone.now() + dt.timedelta(days=9)
    shift_update(
        shift=shift, actor=organizer, starts_at=start, ends_at=start + dt.timedelta(hours=3)
    )
    assert not told(organizer, shift_notices.CHANGED)
    assert told(volunteer, shift_notices.CHANGED)


def test_coordinator_cancelling_their_own_shift_is_not_told(group, organizer, shift):
    volunteer = MembershipFactory(group=group).user
    signup_create(shift=shift, user=volunteer, actor=volunteer)
    shift_cancel(shift=shift, actor=organizer, message="Rained off.")
    assert not told(organizer, shift_notices.CANCELLED)
    assert told(volunteer, shift_notices.CANCELLED)


def test_messages_and_new_events_already_leave_the_sender_out(group, organizer):
    member = MembershipFactory(group=group).user
    group_services.group_message_send(group=group, actor=organizer, subject="Hi", body="Hello")
    assert not told(organizer, group_notices.GROUP_MESSAGE)
    assert told(member, group_notices.GROUP_MESSAGE)
