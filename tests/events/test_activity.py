"""Who did it: the events services take an actor (a person or the system), refuse with
NotAllowed, and write the activity log in their transaction."""

import datetime as dt

import pytest
from django.utils import timezone

from core.actors import Actor
from core.exceptions import NotAllowed
from core.models import Activity
from core.refs import ref
from events.models import Event, Rsvp
from events.services import (
    event_cancel,
    event_create,
    event_series_create,
    event_series_end,
    event_series_update,
    event_update,
    rsvp_cancel,
    rsvp_create,
)
from events.subscribers import cancel_events_when_group_closes, cancel_rsvps_when_membership_ends
from groups.models import Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory()


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


def soon(days=7):
    start = timezone.now() + dt.timedelta(days=days)
    return {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}


def new_event(group, actor, **changes):
    fields = {"title": "Walk", "category": "outdoors", "venue_name": "Gate", **soon()}
    fields.update(changes)
    return event_create(group=group, actor=actor, **fields)


def rows(verb=None):
    found = Activity.objects.order_by("pk")
    return list(found.filter(verb=verb) if verb else found)


def test_creating_editing_and_cancelling_an_event_is_recorded(group, organizer):
    event = new_event(group, organizer, capacity=5)
    event_update(event=event, actor=organizer, title="Evening walk", capacity=8)
    event_update(event=event, actor=organizer, title="Evening walk")  # nothing changes
    event_cancel(event=event, actor=organizer, message="Rain")
    assert [(r.verb, r.actor_user, r.subject, r.group_id) for r in rows()] == [
        ("event.created", organizer, ref(event), group.pk),
        ("event.updated", organizer, ref(event), group.pk),
        ("event.cancelled", organizer, ref(event), group.pk),
    ]
    assert rows("event.updated")[0].data == {"capacity": [5, 8], "title": ["Walk", "Evening walk"]}


def test_series_create_edit_and_end_are_recorded(group, organizer):
    series = event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=1),
        title="Choir",
        category="music",
        venue_name="Hall",
    )
    event_series_update(series=series, actor=organizer, title="Big choir")
    event_series_end(series=series, actor=organizer)
    verbs = [(r.verb, r.actor_kind) for r in rows() if r.verb.startswith("series.")]
    assert verbs == [
        ("series.created", "person"),
        ("series.updated", "person"),
        ("series.ended", "person"),
    ]
    assert rows("series.updated")[0].data == {"title": ["Choir", "Big choir"]}


def test_materialized_dates_are_made_by_the_system(group, organizer):
    series = event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=1),
        title="Choir",
        category="music",
        venue_name="Hall",
    )
    made = rows("event.created")
    assert len(made) == series.occurrences.count() > 1
    assert {(r.actor_kind, r.actor_reason) for r in made} == {("system", "series materialized")}


def test_an_organizer_cancelling_someones_rsvp_is_recorded_the_attendee_is_not(group, organizer):
    event = new_event(group, organizer)
    alice = MembershipFactory(group=group).user
    bob = MembershipFactory(group=group).user
    mine = rsvp_create(event=event, user=alice)
    theirs = rsvp_create(event=event, user=bob)
    rsvp_cancel(rsvp=mine, actor=alice)
    assert rows("rsvp.changed_by_organizer") == []
    rsvp_cancel(rsvp=theirs, actor=organizer)
    [row] = rows("rsvp.changed_by_organizer")
    assert (row.actor_user, row.subject, row.group_id) == (organizer, ref(theirs), group.pk)
    assert row.data == {"event": event.pk, "attendee": bob.pk, "status": ["going", "not_going"]}


def test_a_ban_cancels_rsvps_as_whoever_banned(group, organizer):
    event = new_event(group, organizer)
    membership = MembershipFactory(group=group)
    rsvp_create(event=event, user=membership.user)
    cancel_rsvps_when_membership_ends(
        topic="membership.ended", membership=membership, actor=organizer
    )
    assert Rsvp.objects.get(user=membership.user).status == Rsvp.Status.NOT_GOING
    [row] = rows("rsvp.changed_by_organizer")
    assert row.actor_user == organizer


def test_a_membership_ending_without_a_named_actor_cancels_as_the_system(group, organizer):
    event = new_event(group, organizer)
    membership = MembershipFactory(group=group)
    rsvp_create(event=event, user=membership.user)
    cancel_rsvps_when_membership_ends(topic="membership.ended", membership=membership)
    [row] = rows("rsvp.changed_by_organizer")
    assert (row.actor_kind, row.actor_reason) == ("system", "membership ended")


def test_leaving_cancels_ones_own_rsvps_without_a_log_row(group, organizer):
    event = new_event(group, organizer)
    membership = MembershipFactory(group=group)
    rsvp_create(event=event, user=membership.user)
    cancel_rsvps_when_membership_ends(
        topic="membership.ended", membership=membership, actor=membership.user
    )
    assert Rsvp.objects.get(user=membership.user).status == Rsvp.Status.NOT_GOING
    assert rows("rsvp.changed_by_organizer") == []


def test_a_closing_group_cancels_its_events_as_the_system_not_a_borrowed_organizer():
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    event = EventFactory(group=group, **soon())
    cancel_events_when_group_closes(topic="group.deleting", group=group)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    [row] = rows("event.cancelled")
    assert (row.actor_kind, row.actor_reason, row.actor_user) == ("system", "group closed", None)
    assert organizer is not None


def test_a_group_without_organizers_still_closes_its_events():
    group = GroupFactory()
    event = EventFactory(group=group, **soon())
    cancel_events_when_group_closes(topic="group.deleting", group=group)
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED


def test_the_system_may_create_events_and_is_recorded(group):
    event = new_event(group, Actor.system("demo data"))
    assert event.created_by is None
    [row] = rows("event.created")
    assert (row.actor_kind, row.actor_reason) == ("system", "demo data")


@pytest.mark.parametrize(
    "actor",
    [None, Actor.client(client_id=1, name="Partner"), "outsider", "member"],
)
def test_nobody_a_client_or_an_outsider_is_not_allowed(group, organizer, actor):
    if actor == "outsider":
        actor = UserFactory()
    elif actor == "member":
        actor = MembershipFactory(group=group).user
    with pytest.raises(NotAllowed):
        new_event(group, actor)
    event = new_event(group, organizer)
    with pytest.raises(NotAllowed):
        event_update(event=event, actor=actor, title="Mine now")
    with pytest.raises(NotAllowed):
        event_cancel(event=event, actor=actor)
    assert rows() == rows("event.created")


def test_nobody_rsvps_for_someone_else(group, organizer):
    event = new_event(group, organizer)
    member = MembershipFactory(group=group).user
    with pytest.raises(NotAllowed):
        rsvp_create(event=event, user=member, actor=organizer)
    assert not Rsvp.objects.exists()


def test_the_system_may_answer_for_someone_and_is_recorded(group, organizer):
    event = new_event(group, organizer)
    member = MembershipFactory(group=group).user
    demo = Actor.system("demo data")
    assert rsvp_create(event=event, user=member, actor=demo).status == Rsvp.Status.GOING
    rsvp_create(event=event, user=member, actor=member)  # the attendee again: nothing to log
    [row] = rows("rsvp.changed_by_organizer")
    assert (row.actor_kind, row.data["status"]) == ("system", [None, "going"])


def test_the_log_says_the_address_changed_not_to_what(group, organizer):
    event = new_event(group, organizer, address="1 Old Road", online_url="https://a.example")
    event_update(
        event=event,
        actor=organizer,
        address="7 Hidden Lane",
        online_url="https://b.example",
        venue_name="Back room",
    )
    assert rows("event.updated")[0].data == {
        "address": None,
        "online_url": None,
        "venue_name": ["Gate", "Back room"],
    }


def test_dates_a_series_edit_removes_are_recorded(group, organizer):
    series = event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=DAILY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=1),
        title="Choir",
        category="music",
        venue_name="Hall",
    )
    dates = series.occurrences.count()
    assert dates > 7
    event_series_update(series=series, actor=organizer, rrule="FREQ=WEEKLY")
    deleted = rows("event.deleted")
    assert len(deleted) == dates - series.occurrences.count()
    assert {(r.actor_kind, r.actor_user, r.group_id) for r in deleted} == {
        ("person", organizer, group.pk)
    }


def test_a_promotion_from_the_waitlist_is_recorded_as_the_system(group, organizer):
    event = new_event(group, organizer, capacity=1)
    first, second = MembershipFactory(group=group).user, MembershipFactory(group=group).user
    going = rsvp_create(event=event, user=first)
    waiting = rsvp_create(event=event, user=second)
    assert waiting.status == Rsvp.Status.WAITLISTED
    rsvp_cancel(rsvp=going, actor=first)
    (row,) = rows("rsvp.promoted")
    assert (row.actor_kind, row.actor_reason, row.subject) == (
        "system",
        "waitlist promotion",
        ref(waiting),
    )
    assert row.data == {"user": second.pk, "seats": 1}
