"""Who came: the check-in and walk-in services and their rules."""

import datetime as dt

import pytest
from django.utils import timezone

from core.actors import Actor
from core.exceptions import NotAllowed, ServiceError
from core.models import Activity
from events.models import Rsvp, WalkIn
from events.services import rsvp_admit, rsvp_check_in, walk_in_add, walk_in_remove
from events.services.attendance import CHECK_IN_OPENS_BEFORE
from groups.models import Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return UserFactory()


@pytest.fixture
def today(organizer):
    group = GroupFactory(organizer=organizer)
    return EventFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=1))


def going(event, **kwargs):
    user = UserFactory()
    MembershipFactory(group=event.group, user=user)
    return RsvpFactory(event=event, user=user, **kwargs)


def test_organizer_checks_someone_in_and_it_is_logged(today, organizer):
    rsvp = going(today, guests=0)
    rsvp = rsvp_check_in(rsvp=rsvp, actor=organizer)
    assert rsvp.checked_in_at is not None
    row = Activity.objects.get(verb="rsvp.checked_in")
    assert row.actor_user == organizer
    assert row.data == {"event": today.pk, "attendee": rsvp.user_id}


def test_checking_in_twice_keeps_the_first_time(today, organizer):
    rsvp = rsvp_check_in(rsvp=going(today), actor=organizer)
    first = rsvp.checked_in_at
    again = rsvp_check_in(rsvp=rsvp, actor=organizer)
    assert again.checked_in_at == first
    assert Activity.objects.filter(verb="rsvp.checked_in").count() == 1


def test_undo_check_in(today, organizer):
    rsvp = rsvp_check_in(rsvp=going(today), actor=organizer)
    rsvp = rsvp_check_in(rsvp=rsvp, actor=organizer, arrived=False)
    assert rsvp.checked_in_at is None
    assert Activity.objects.filter(verb="rsvp.check_in_undone").count() == 1


def test_host_checks_in_but_member_and_attendee_may_not(today):
    host = UserFactory()
    MembershipFactory(group=today.group, user=host, role=Membership.Role.HOST)
    rsvp = going(today)
    with pytest.raises(NotAllowed):
        rsvp_check_in(rsvp=rsvp, actor=rsvp.user)
    member = UserFactory()
    MembershipFactory(group=today.group, user=member)
    with pytest.raises(NotAllowed):
        rsvp_check_in(rsvp=rsvp, actor=member)
    assert rsvp_check_in(rsvp=rsvp, actor=host).checked_in_at is not None


def test_superuser_outside_a_moderation_session_may_not_check_in(today):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(NotAllowed):
        rsvp_check_in(rsvp=going(today), actor=superuser)


def test_check_in_opens_on_the_day(organizer):
    group = GroupFactory(organizer=organizer)
    later = EventFactory(
        group=group, starts_at=timezone.now() + CHECK_IN_OPENS_BEFORE + dt.timedelta(minutes=5)
    )
    with pytest.raises(ServiceError, match="opens on the day"):
        rsvp_check_in(rsvp=going(later), actor=organizer)


def test_attendance_can_be_put_right_after_the_event(organizer):
    group = GroupFactory(organizer=organizer)
    past = EventFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=2))
    rsvp = going(past)
    assert rsvp_check_in(rsvp=rsvp, actor=organizer).checked_in_at is not None


def test_waitlisted_people_are_not_checked_in(today, organizer):
    rsvp = going(today, status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    with pytest.raises(ServiceError, match="Only people going"):
        rsvp_check_in(rsvp=rsvp, actor=organizer)


def test_no_check_in_at_a_cancelled_event(today, organizer):
    rsvp = going(today)
    today.status = today.Status.CANCELLED
    today.save(update_fields=["status"])
    with pytest.raises(ServiceError, match="cancelled"):
        rsvp_check_in(rsvp=rsvp, actor=organizer)


def test_walk_in_added_by_name_takes_no_seat_and_keeps_the_name_out_of_the_log(today, organizer):
    walk_in = walk_in_add(event=today, actor=organizer, name="  Sam from next door ")
    assert walk_in.name == "Sam from next door"
    assert walk_in.added_by == organizer
    today.refresh_from_db()
    assert today.seats_taken == 0
    row = Activity.objects.get(verb="event.walk_in_added")
    assert "Sam" not in str(row.data)


def test_walk_in_needs_a_single_line_name(today, organizer):
    with pytest.raises(ServiceError):
        walk_in_add(event=today, actor=organizer, name="   ")
    with pytest.raises(ServiceError):
        walk_in_add(event=today, actor=organizer, name="Sam\nEvil")
    assert not WalkIn.objects.exists()


def test_member_may_not_add_or_remove_walk_ins(today, organizer):
    member = UserFactory()
    MembershipFactory(group=today.group, user=member)
    with pytest.raises(NotAllowed):
        walk_in_add(event=today, actor=member, name="Sam")
    walk_in = walk_in_add(event=today, actor=Actor.system("test"), name="Sam")
    with pytest.raises(NotAllowed):
        walk_in_remove(walk_in=walk_in, actor=member)
    walk_in_remove(walk_in=walk_in, actor=organizer)
    assert not WalkIn.objects.exists()


def waiting(event, position, guests=0):
    return going(event, status=Rsvp.Status.WAITLISTED, waitlist_position=position, guests=guests)


def test_admit_raises_the_capacity_when_no_seat_is_free(today, organizer):
    today.capacity = 1
    today.guests_allowed = 2
    today.save(update_fields=["capacity", "guests_allowed"])
    going(today)
    first = waiting(today, 1)
    second = waiting(today, 2, guests=1)
    rsvp = rsvp_admit(rsvp=second, actor=organizer)
    assert rsvp.status == Rsvp.Status.GOING
    today.refresh_from_db()
    assert (today.capacity, today.seats_taken) == (3, 3)
    first.refresh_from_db()
    assert first.status == Rsvp.Status.WAITLISTED
    row = Activity.objects.get(verb="rsvp.changed_by_organizer")
    assert row.data["capacity"] == [1, 3]
    assert row.data["status"] == ["waitlisted", "going"]


def test_admit_uses_a_free_seat_without_changing_the_capacity(today, organizer):
    today.capacity = 1
    today.save(update_fields=["capacity"])
    rsvp = waiting(today, 1)
    rsvp_admit(rsvp=rsvp, actor=organizer)
    today.refresh_from_db()
    assert (today.capacity, today.seats_taken) == (1, 1)
    assert "capacity" not in Activity.objects.get(verb="rsvp.changed_by_organizer").data


def test_admit_tells_the_person(today, organizer):
    from notifications.models import Notification

    rsvp = waiting(today, 1)
    rsvp_admit(rsvp=rsvp, actor=organizer)
    assert Notification.objects.filter(recipient=rsvp.user, kind="events.rsvp_promoted").exists()


def test_only_organizers_and_hosts_admit_and_only_from_the_waitlist(today, organizer):
    rsvp = waiting(today, 1)
    with pytest.raises(NotAllowed):
        rsvp_admit(rsvp=rsvp, actor=rsvp.user)
    rsvp_admit(rsvp=rsvp, actor=organizer)
    with pytest.raises(ServiceError, match="not on the waitlist"):
        rsvp_admit(rsvp=rsvp, actor=organizer)


def test_first_person_waiting_tells_organizers_and_hosts_once(
    today, organizer, django_capture_on_commit_callbacks
):
    from django.core import mail

    from events.services import rsvp_create
    from notifications.models import Notification
    from notifications.tasks import notifications_dispatch_due_task

    host = UserFactory()
    MembershipFactory(group=today.group, user=host, role=Membership.Role.HOST)
    today.capacity = 1
    today.save(update_fields=["capacity"])
    people = []
    for _i in range(3):
        person = UserFactory()
        MembershipFactory(group=today.group, user=person)
        people.append(person)
        rsvp_create(event=today, user=person)
    told = Notification.objects.filter(kind="events.waitlist_forming", channel="email")
    assert set(told.values_list("recipient_id", flat=True)) == {organizer.pk, host.pk}
    assert not told.filter(recipient__in=people).exists()
    with django_capture_on_commit_callbacks(execute=True):
        notifications_dispatch_due_task()
    (email,) = [m for m in mail.outbox if organizer.email in m.to]
    assert email.subject == f"A waitlist is forming: {today.title}"
    assert "2 people are waiting" in email.body
