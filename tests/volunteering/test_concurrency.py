"""Shift sign-ups under load, with the harness the RSVP tests use (tests/concurrency.py): on
SQLite and on PostgreSQL, places are never overbooked and the waitlist keeps arrival order."""

import threading

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count

from core import bus
from tests.concurrency import members, run_together
from tests.factories import GroupFactory, ShiftFactory
from volunteering.models import Shift, ShiftSignup
from volunteering.services import signup_create, signup_withdraw

pytestmark = pytest.mark.django_db(transaction=True)


def test_200_simultaneous_signups_fill_50_places_and_queue_the_rest():
    group = GroupFactory()
    shift = ShiftFactory(role__project__group=group, capacity=50)
    users = members(group, 200)

    results, errors = run_together(
        [lambda user=user: signup_create(shift=shift, user=user) for user in users]
    )

    assert errors == []
    assert len(results) == 200
    shift.refresh_from_db()
    signups = ShiftSignup.objects.filter(shift=shift)
    assert signups.count() == 200
    assert signups.filter(status=ShiftSignup.Status.SIGNED_UP).count() == 50
    waitlisted = signups.filter(status=ShiftSignup.Status.WAITLISTED)
    assert waitlisted.count() == 150
    positions = list(waitlisted.values_list("waitlist_position", flat=True))
    assert sorted(positions) == list(range(1, 151))
    assert shift.seats_taken == 50


def test_withdrawals_and_new_signups_at_once_keep_arrival_order(monkeypatch):
    group = GroupFactory()
    shift = ShiftFactory(role__project__group=group, capacity=50)
    signed_up = [signup_create(shift=shift, user=user) for user in members(group, 50)]
    waiting = [signup_create(shift=shift, user=user) for user in members(group, 60)]
    newcomers = members(group, 50)
    assert {s.status for s in waiting} == {ShiftSignup.Status.WAITLISTED}
    position = {s.pk: s.waitlist_position for s in waiting}
    promoted_order = []
    promoted_lock = threading.Lock()

    def remember(*, topic, **payload):
        signup = payload.get("signup")
        if topic == "shift_signup.updated" and signup.status == ShiftSignup.Status.SIGNED_UP:
            with promoted_lock:
                promoted_order.append(signup.pk)

    monkeypatch.setitem(bus._subscribers, "*", [*bus._subscribers.get("*", []), remember])
    calls = [lambda s=s: signup_withdraw(signup=s, actor=s.user) for s in signed_up]
    calls += [lambda user=user: signup_create(shift=shift, user=user) for user in newcomers]
    calls = [call for pair in zip(calls[:50], calls[50:], strict=True) for call in pair]

    results, errors = run_together(calls)

    assert errors == []
    assert len(results) == 100
    shift.refresh_from_db()
    signed_up_now = ShiftSignup.objects.filter(shift=shift, status=ShiftSignup.Status.SIGNED_UP)
    assert shift.seats_taken == signed_up_now.count() == 50
    assert [position[pk] for pk in promoted_order] == sorted(position.values())[:50]
    assert set(signed_up_now.values_list("pk", flat=True)) == {s.pk for s in waiting[:50]}
    newcomer_signups = ShiftSignup.objects.filter(shift=shift, user__in=newcomers)
    assert {s.status for s in newcomer_signups} == {ShiftSignup.Status.WAITLISTED}
    assert min(s.waitlist_position for s in newcomer_signups) > max(position.values())


def test_teams_racing_for_the_last_places_never_overbook():
    group = GroupFactory()
    shift = ShiftFactory(role__project__group=group, capacity=10)
    users = members(group, 12)

    _results, errors = run_together(
        [
            lambda user=user: signup_create(shift=shift, user=user, team=["Sam", "Alex"])
            for user in users
        ]
    )

    assert errors == []
    shift.refresh_from_db()
    counts = dict(
        ShiftSignup.objects.filter(shift=shift)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    assert counts == {ShiftSignup.Status.SIGNED_UP: 3, ShiftSignup.Status.WAITLISTED: 9}
    assert shift.seats_taken == 9


def test_database_refuses_more_places_than_capacity():
    shift = ShiftFactory(capacity=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Shift.objects.filter(pk=shift.pk).update(seats_taken=3)
