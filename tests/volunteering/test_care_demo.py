"""seed_demo's care calendar: meal and ride slots, some taken, made once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings

from volunteering.care_models import CareCalendar, CareSignup, CareSlot

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_care_calendar_with_meal_and_ride_slots_some_taken():
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())
        calendar = CareCalendar.objects.get(title="Meals and rides for Tom")
        slots = CareSlot.objects.filter(calendar=calendar)
        assert {"meal", "ride"} <= set(slots.values_list("kind", flat=True))
        assert slots.filter(series__isnull=False).count() >= 4
        taken = CareSignup.objects.filter(slot__calendar=calendar, status="confirmed")
        assert 0 < taken.count() < slots.count()
        assert slots.filter(kind="ride", seats_taken=0).exists()
        before = (slots.count(), taken.count())
        call_command("seed_demo", stdout=StringIO())
        assert (slots.count(), taken.count()) == before
        assert CareCalendar.objects.count() == 1
