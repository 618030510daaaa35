"""The opt-in notice to organizers and hosts of each RSVP or cancellation when an event has
few seats left."""

import pytest

from events.notifications import FEW_SEATS, few_seats_left
from events.services import rsvp_cancel, rsvp_create
from groups.models import Membership
from notifications.models import Notification
from notifications.services import notification_preferences_set
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("capacity", "taken", "few"),
    [(None, 50, False), (10, 7, False), (10, 8, True), (100, 79, False), (100, 80, True)],
)
def test_few_seats_is_a_fifth_or_two(capacity, taken, few):
    assert few_seats_left(capacity, taken) is few


@pytest.fixture
def organizer():
    return UserFactory()


@pytest.fixture
def group(organizer):
    return GroupFactory(organizer=organizer)


def member(group):
    user = UserFactory(display_name="Gem Going")
    MembershipFactory(group=group, user=user)
    return user


def told():
    return list(
        Notification.objects.filter(kind=FEW_SEATS, channel="email").values_list(
            "recipient_id", "context"
        )
    )


def test_off_unless_chosen(group):
    event = EventFactory(group=group, capacity=2)
    rsvp_create(event=event, user=member(group))
    assert told() == []


def test_organizers_and_hosts_who_chose_it_hear_of_each_rsvp_and_cancel(group, organizer):
    host = UserFactory()
    MembershipFactory(group=group, user=host, role=Membership.Role.HOST)
    for person in (organizer, host):
        notification_preferences_set(user=person, choices={(FEW_SEATS, "email"): True})
    event = EventFactory(group=group, capacity=10)
    first = rsvp_create(event=event, user=member(group))
    assert told() == []  # nine seats left: not few
    event.refresh_from_db()
    late = EventFactory(group=group, capacity=3)
    rsvp = rsvp_create(event=late, user=member(group))
    assert sorted(r for r, _c in told()) == sorted([organizer.pk, host.pk])
    assert told()[0][1] == {"change": "going", "person": "Gem Going", "seats_left": 2}
    rsvp_cancel(rsvp=rsvp, actor=rsvp.user)
    assert sorted(c["change"] for _r, c in told()) == ["cancelled", "cancelled", "going", "going"]
    assert first.status == "going"


def test_the_person_who_rsvped_is_not_told_of_themselves(group, organizer):
    notification_preferences_set(user=organizer, choices={(FEW_SEATS, "email"): True})
    event = EventFactory(group=group, capacity=2)
    rsvp_create(event=event, user=organizer)
    assert told() == []
