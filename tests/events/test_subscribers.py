"""What the events app does when other apps announce something."""

import datetime as dt

import pytest
from django.utils import timezone

from core.exceptions import NotAllowed
from core.moderation import moderation_session_start
from events import notifications
from events.models import Event, Rsvp
from events.services import rsvp_create
from events.subscribers import cancel_events_when_group_closes
from groups import services as group_services
from groups.models import Group, Membership
from notifications.models import Notification
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory(name="Riverside Choir")


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


@pytest.fixture
def cancelled(monkeypatch):
    """Every on_event_cancelled call (the hook still runs): the event's title, the message and
    whether the event's group was still there."""
    calls = []
    original = notifications.on_event_cancelled

    def spy(*, event, message, actor=None):
        calls.append((event.title, message, Group.objects.filter(pk=event.group_id).exists()))
        original(event=event, message=message, actor=actor)

    monkeypatch.setattr(notifications, "on_event_cancelled", spy)
    return calls


def in_days(days: float) -> dict:
    starts = timezone.now() + dt.timedelta(days=days)
    return {"starts_at": starts, "ends_at": starts + dt.timedelta(hours=2)}


@pytest.fixture
def calendar(group):
    """A group's events: two coming (one full, with a waitlist), one under way, one past, one
    already cancelled; and a coming event of another group."""
    coming = EventFactory(group=group, title="Spring concert", capacity=1, **in_days(7))
    later = EventFactory(group=group, title="Summer rehearsal", **in_days(30))
    under_way = EventFactory(
        group=group,
        title="Rehearsal now",
        starts_at=timezone.now() - dt.timedelta(hours=1),
        ends_at=timezone.now() + dt.timedelta(hours=1),
    )
    past = EventFactory(group=group, title="Winter concert", **in_days(-7))
    called_off = EventFactory(
        group=group, title="Called off", status=Event.Status.CANCELLED, **in_days(3)
    )
    elsewhere = EventFactory(title="Elsewhere", **in_days(7))
    going = MembershipFactory(group=group).user
    waiting = MembershipFactory(group=group).user
    rsvp_create(event=coming, user=going)
    assert rsvp_create(event=coming, user=waiting).status == Rsvp.Status.WAITLISTED
    return {
        "coming": coming,
        "later": later,
        "under_way": under_way,
        "past": past,
        "called_off": called_off,
        "elsewhere": elsewhere,
        "going": going,
        "waiting": waiting,
    }


def test_closing_a_group_cancels_its_coming_events_first(
    group, organizer, calendar, cancelled, published
):
    group_services.group_delete(group=group, actor=organizer)

    message = "Riverside Choir has closed, so this event will not take place."
    assert cancelled == [
        ("Rehearsal now", message, True),
        ("Spring concert", message, True),
        ("Summer rehearsal", message, True),
    ]
    assert [p["event"].title for t, p in published if t == "event.cancelled"] == [
        "Rehearsal now",
        "Spring concert",
        "Summer rehearsal",
    ]
    assert not Group.objects.filter(pk=group.pk).exists()
    assert list(Event.objects.values_list("title", flat=True)) == ["Elsewhere"]


def test_people_going_or_waiting_get_a_cancellation_notice(group, organizer, calendar):
    group_services.group_delete(group=group, actor=organizer)

    notices = Notification.objects.filter(kind=notifications.CANCELLED)
    assert {n.recipient_id for n in notices} == {calendar["going"].pk, calendar["waiting"].pk}
    assert {n.status for n in notices} == {Notification.Status.PENDING}
    assert {n.context["message"] for n in notices} == {
        "Riverside Choir has closed, so this event will not take place."
    }
    assert not Notification.objects.filter(kind=notifications.REMINDER).exclude(
        status=Notification.Status.CANCELLED
    )


def test_a_site_moderator_closing_a_group_cancels_its_events(group, organizer, calendar, cancelled):
    moderator = UserFactory(is_staff=True, is_superuser=True)
    moderation_session_start(actor=moderator, reason="A report about this group")
    group_services.group_delete(group=group, actor=moderator)
    assert [title for title, *_rest in cancelled] == [
        "Rehearsal now",
        "Spring concert",
        "Summer rehearsal",
    ]


def test_refused_closing_cancels_nothing(group, organizer, calendar, cancelled):
    member = MembershipFactory(group=group).user
    with pytest.raises(NotAllowed):
        group_services.group_delete(group=group, actor=member)
    assert cancelled == []
    calendar["coming"].refresh_from_db()
    assert calendar["coming"].status == Event.Status.SCHEDULED


def test_the_actor_named_in_the_announcement_cancels(group, organizer, calendar):
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    cancel_events_when_group_closes(topic="group.deleting", group=group, actor=host)
    calendar["later"].refresh_from_db()
    assert calendar["later"].status == Event.Status.CANCELLED

    outsider = UserFactory()
    other = EventFactory(group=group, **in_days(10))
    with pytest.raises(NotAllowed):
        cancel_events_when_group_closes(topic="group.deleting", group=group, actor=outsider)
    other.refresh_from_db()
    assert other.status == Event.Status.SCHEDULED
