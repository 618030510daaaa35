"""The factories build only states the services allow, and tests/conftest.py checks the seats
after every database test."""

import pytest

from accounts.models import User
from events.models import Event, Rsvp
from groups.models import Membership
from tests.conftest import seat_mismatches
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

ORGANIZER = {"role": Membership.Role.ORGANIZER, "status": Membership.Status.ACTIVE}


@pytest.mark.django_db
def test_a_group_has_an_active_organizer():
    group = GroupFactory()
    assert group.memberships.filter(**ORGANIZER).count() == 1
    assert EventFactory().group.memberships.filter(**ORGANIZER).exists()


@pytest.mark.django_db
def test_a_named_organizer_is_the_groups_only_one():
    user = UserFactory()
    group = GroupFactory(organizer=user)
    assert list(group.memberships.filter(**ORGANIZER).values_list("user", flat=True)) == [user.pk]


@pytest.mark.django_db
def test_an_organizer_added_by_a_test_takes_over_from_the_stand_in():
    group = GroupFactory()
    MembershipFactory(group=group)
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    organizers = group.memberships.filter(**ORGANIZER).values_list("user", flat=True)
    assert list(organizers) == [organizer.pk]
    assert group.memberships.count() == 2
    second = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    assert set(group.memberships.filter(**ORGANIZER).values_list("user", flat=True)) == {
        organizer.pk,
        second.pk,
    }
    assert not User.objects.filter(email__startswith="stand-in-organizer").exists()


@pytest.mark.django_db
def test_a_going_rsvp_holds_its_seats_and_a_waitlisted_one_does_not():
    event = EventFactory(capacity=5, guests_allowed=2)
    RsvpFactory(event=event, guests=2)
    assert event.seats_taken == 3
    RsvpFactory(event=event, status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    event.refresh_from_db()
    assert event.seats_taken == 3
    assert seat_mismatches() == []


@pytest.mark.django_db
def test_seats_taken_on_an_event_are_people_going():
    event = EventFactory(capacity=2, seats_taken=2)
    assert event.seats_taken == 2
    assert event.rsvps.filter(status=Rsvp.Status.GOING).count() == 2


@pytest.mark.django_db
@pytest.mark.seats_by_hand
def test_a_seat_without_an_rsvp_is_found():
    event = EventFactory()
    RsvpFactory(event=event)
    Event.objects.filter(pk=event.pk).update(seats_taken=4)
    other = EventFactory()
    Rsvp.objects.create(event=other, user=UserFactory(), status=Rsvp.Status.GOING, guests=1)
    assert sorted(seat_mismatches()) == [(event.pk, 4, 1), (other.pk, 0, 2)]


def test_tests_without_the_database_are_not_given_one():
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        User.objects.count()
