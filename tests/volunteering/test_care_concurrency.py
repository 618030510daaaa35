"""Helpers racing for a slot, each on their own database connection (SQLite in WAL mode with
IMMEDIATE transactions, or PostgreSQL when DATABASE_URL names it): exactly one gets a
one-helper slot, and a weekly cap holds against one person's simultaneous requests."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.exceptions import ServiceError
from tests.events.test_concurrency import run_together
from tests.volunteering.care_setup import add_slot, coordinator_of, member, open_calendar
from volunteering.care import services
from volunteering.care_models import CareSignup, CareSlot

pytestmark = pytest.mark.django_db(transaction=True)


def _outcomes(calls):
    def safely(call):
        def run():
            try:
                return call()
            except ServiceError as error:
                return error

        return run

    results, errors = run_together([safely(call) for call in calls])
    assert errors == []
    return results


@pytest.mark.parametrize("helpers", [2, 12])
def test_racing_helpers_exactly_one_gets_a_one_helper_slot(helpers):
    calendar = open_calendar()
    slot = add_slot(calendar)
    people = [member(calendar.group) for _ in range(helpers)]

    results = _outcomes(
        [lambda user=user: services.care_slot_take(slot=slot, user=user) for user in people]
    )

    taken = [r for r in results if isinstance(r, CareSignup)]
    refused = [r for r in results if isinstance(r, ServiceError)]
    assert len(taken) == 1
    assert len(refused) == helpers - 1
    assert all("all the helpers it needs" in str(r.messages) for r in refused)
    slot.refresh_from_db()
    assert slot.seats_taken == 1
    assert CareSignup.objects.filter(slot=slot, status="confirmed").count() == 1


def test_one_person_racing_their_own_weekly_cap_gets_one_slot():
    calendar = open_calendar()
    helper = member(calendar.group)
    services.care_helper_limit_set(calendar=calendar, user=helper, weekly_limit=1)
    day = timezone.now().date() + dt.timedelta(days=14 - timezone.now().weekday())
    slots = []
    for hour in (9, 12, 15, 18):
        starts = dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)
        slots.append(
            services.care_slot_create(
                calendar=calendar,
                actor=coordinator_of(calendar),
                kind="ride",
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=1),
            )
        )

    results = _outcomes(
        [lambda slot=slot: services.care_slot_take(slot=slot, user=helper) for slot in slots]
    )

    assert sum(isinstance(r, CareSignup) for r in results) == 1
    assert CareSignup.objects.filter(user=helper, status="confirmed").count() == 1


def test_the_database_refuses_more_helpers_than_places():
    calendar = open_calendar()
    slot = add_slot(calendar)
    with pytest.raises(IntegrityError), transaction.atomic():
        CareSlot.objects.filter(pk=slot.pk).update(seats_taken=2)
