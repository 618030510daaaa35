import pytest
from django.contrib.auth.models import AnonymousUser

from events.models import Rsvp
from events.permissions import (
    can_manage_event,
    can_see_event_location,
    events_with_visible_location,
)
from groups.models import Membership
from tests.factories import EventFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory()


def person(event, who: str):
    """A user standing in the given relation to the event's group (or None for anonymous)."""
    if who == "anonymous":
        return AnonymousUser()
    if who == "outsider":
        return UserFactory()
    kwargs = {
        "member": {},
        "host": {"role": Membership.Role.HOST},
        "organizer": {"role": Membership.Role.ORGANIZER},
        "pending_organizer": {
            "role": Membership.Role.ORGANIZER,
            "status": Membership.Status.PENDING,
        },
        "banned_host": {"role": Membership.Role.HOST, "status": Membership.Status.BANNED},
    }[who]
    return MembershipFactory(group=event.group, **kwargs).user


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", False),
        ("outsider", False),
        ("member", False),
        ("host", True),
        ("organizer", True),
        ("pending_organizer", False),
        ("banned_host", False),
    ],
)
def test_only_active_organizers_and_hosts_manage_an_event(event, who, expected):
    assert can_manage_event(person(event, who), event) is expected


def test_organizer_of_another_group_does_not_manage_the_event(event):
    other = MembershipFactory(role=Membership.Role.ORGANIZER).user
    assert can_manage_event(other, event) is False


@pytest.mark.parametrize(
    ("who", "rsvp_status", "expected"),
    [
        ("anonymous", None, False),
        ("outsider", None, False),
        ("member", None, False),
        ("member", Rsvp.Status.GOING, True),
        ("member", Rsvp.Status.WAITLISTED, False),
        ("member", Rsvp.Status.NOT_GOING, False),
        ("host", None, True),
        ("organizer", None, True),
        ("banned_host", None, False),
        ("banned_host", Rsvp.Status.NOT_GOING, False),
    ],
)
def test_location_only_for_people_going_and_organizers(event, who, rsvp_status, expected):
    user = person(event, who)
    if rsvp_status is not None:
        RsvpFactory(event=event, user=user, status=rsvp_status)
    assert can_see_event_location(user, event) is expected
    # The bulk form used by calendar feeds answers exactly the same.
    assert (event.pk in events_with_visible_location(user, [event])) is expected


def test_going_to_one_event_does_not_reveal_another(event):
    other = EventFactory(group=event.group)
    user = person(event, "member")
    RsvpFactory(event=event, user=user, status=Rsvp.Status.GOING)
    assert can_see_event_location(user, other) is False
    assert events_with_visible_location(user, [event, other]) == {event.pk}


def test_someone_elses_rsvp_does_not_reveal_the_location(event):
    RsvpFactory(event=event, status=Rsvp.Status.GOING)
    user = person(event, "member")
    assert can_see_event_location(user, event) is False
    assert events_with_visible_location(user, [event]) == set()


def test_bulk_location_check_takes_two_queries_for_many_events(event, django_assert_num_queries):
    events = [event] + [EventFactory(group=event.group) for _ in range(9)]
    user = person(event, "host")
    with django_assert_num_queries(2):
        assert events_with_visible_location(user, events) == {e.pk for e in events}
