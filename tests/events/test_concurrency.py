"""RSVPs under load: many threads, each with its own database connection, start together.

These run against whichever database DATABASE_URL names (a SQLite file in WAL mode with
IMMEDIATE transactions, or PostgreSQL) and must hold on both.
"""

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum

from core import bus
from events.models import Event, Rsvp
from events.services import rsvp_cancel, rsvp_create
from groups.models import Membership
from tests.concurrency import members, run_together
from tests.factories import EventFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def going_seats(event: Event) -> int:
    going = Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING)
    return going.aggregate(seats=Sum(F("guests") + 1))["seats"] or 0


def test_200_simultaneous_rsvps_fill_50_seats_and_queue_the_rest():
    group = GroupFactory()
    event = EventFactory(group=group, capacity=50)
    users = members(group, 200)

    results, errors = run_together(
        [lambda user=user: rsvp_create(event=event, user=user) for user in users]
    )

    assert errors == []
    assert len(results) == 200
    event.refresh_from_db()
    assert Rsvp.objects.filter(event=event).count() == 200
    assert Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).count() == 50
    waitlisted = Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED)
    assert waitlisted.count() == 150
    positions = list(waitlisted.values_list("waitlist_position", flat=True))
    assert len(set(positions)) == 150
    assert event.seats_taken == 50 == going_seats(event)


def test_cancellations_and_new_rsvps_at_once_never_overbook(monkeypatch):
    group = GroupFactory()
    event = EventFactory(group=group, capacity=50, guests_allowed=2)
    going = [rsvp_create(event=event, user=user) for user in members(group, 50)]
    waiting = [rsvp_create(event=event, user=user) for user in members(group, 60)]
    newcomers = members(group, 50)
    assert {rsvp.status for rsvp in waiting} == {Rsvp.Status.WAITLISTED}
    position = {rsvp.pk: rsvp.waitlist_position for rsvp in waiting}
    promoted_order = []
    promoted_lock = threading.Lock()

    def record(*, topic, **payload):
        rsvp = payload.get("rsvp")
        if topic == "rsvp.updated" and rsvp is not None and rsvp.status == Rsvp.Status.GOING:
            with promoted_lock:
                promoted_order.append(rsvp.pk)

    monkeypatch.setitem(bus._subscribers, "*", [*bus._subscribers.get("*", []), record])
    calls = [lambda rsvp=rsvp: rsvp_cancel(rsvp=rsvp, actor=rsvp.user) for rsvp in going]
    calls += [lambda user=user: rsvp_create(event=event, user=user, guests=1) for user in newcomers]
    calls = [call for pair in zip(calls[:50], calls[50:], strict=True) for call in pair]

    results, errors = run_together(calls)

    assert errors == []
    assert len(results) == 100
    event.refresh_from_db()
    assert event.seats_taken == going_seats(event) == 50
    assert event.seats_taken <= event.capacity
    # Every freed seat went to the waitlist, earliest arrivals first, one after the other.
    assert [position[pk] for pk in promoted_order] == sorted(position.values())[:50]
    going_now = set(
        Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING).values_list("pk", flat=True)
    )
    assert going_now == {rsvp.pk for rsvp in waiting[:50]}
    newcomer_rsvps = Rsvp.objects.filter(event=event, user__in=newcomers)
    assert {rsvp.status for rsvp in newcomer_rsvps} == {Rsvp.Status.WAITLISTED}
    last_of_old = max(position.values())
    assert min(r.waitlist_position for r in newcomer_rsvps) > last_of_old


def test_database_refuses_more_seats_than_capacity():
    names = {constraint.name for constraint in Event._meta.constraints}
    assert "event_seats_within_capacity" in names
    event = EventFactory(capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(seats_taken=3)


@pytest.mark.parametrize("already_going", [False, True])
def test_rsvp_racing_a_ban_waits_for_it_and_never_deadlocks(already_going):
    """The ban holds its transaction open (inside its own membership.ended listener) while RSVPs
    arrive from other connections: the banned person's RSVP waits for the ban and is refused,
    another member's goes through after it, and nobody hits a deadlock."""
    from core.exceptions import ServiceError
    from groups.services import membership_ban

    group = GroupFactory()
    organizer = UserFactory()
    Membership.objects.create(group=group, user=organizer, role=Membership.Role.ORGANIZER)
    person, neighbour = UserFactory(), UserFactory()
    membership = Membership.objects.create(group=group, user=person)
    Membership.objects.create(group=group, user=neighbour)
    event = EventFactory(group=group, capacity=10)
    if already_going:
        rsvp_create(event=event, user=person)

    ban_holding = threading.Event()
    release_ban = threading.Event()

    def hold(**_payload):
        ban_holding.set()
        assert release_ban.wait(timeout=30)

    outcome: dict[str, object] = {}

    def run(name, call):
        try:
            outcome[name] = call()
        except ServiceError as error:
            outcome[name] = error
        except BaseException as error:  # a deadlock or anything else: the test reports it
            outcome[name] = ("crashed", error)
        finally:
            connection.close()

    bus.subscribe("membership.ended", hold)
    try:
        banning = threading.Thread(
            target=run, args=("ban", lambda: membership_ban(membership=membership, actor=organizer))
        )
        banning.start()
        assert ban_holding.wait(timeout=30)
        racers = [
            threading.Thread(
                target=run, args=(name, lambda user=user: rsvp_create(event=event, user=user))
            )
            for name, user in (("person", person), ("neighbour", neighbour))
        ]
        for racer in racers:
            racer.start()
        for racer in racers:
            racer.join(timeout=1)  # they must be waiting on the ban's locks, not done already
        release_ban.set()
        for thread in (banning, *racers):
            thread.join(timeout=30)
    finally:
        release_ban.set()
        bus.unsubscribe("membership.ended", hold)

    assert not any(isinstance(value, tuple) for value in outcome.values()), outcome
    assert isinstance(outcome["person"], ServiceError), outcome
    assert outcome["neighbour"].status == Rsvp.Status.GOING
    assert not Rsvp.objects.filter(event=event, user=person, status=Rsvp.Status.GOING).exists()
    event.refresh_from_db()
    assert event.seats_taken == 1
