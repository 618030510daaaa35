"""Rules of single rows, and the check tests/conftest.py runs after every database test."""

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import shift_place_mismatches
from tests.factories import ShiftFactory, VolunteerProjectFactory

pytestmark = pytest.mark.django_db


@pytest.mark.seats_by_hand
def test_the_after_test_check_sees_places_taken_without_signups():
    shift = ShiftFactory(seats_taken=2)
    assert shift_place_mismatches() == [(shift.pk, 2, 0)]


def test_project_coordinates_come_in_pairs():
    project = VolunteerProjectFactory.build(latitude=53.8, longitude=None)
    with pytest.raises(ValidationError) as error:
        project.clean()
    assert "longitude" in error.value.message_dict


def test_shift_place_falls_back_to_the_project():
    shift = ShiftFactory(venue_name="", address="")
    assert shift.place == shift.role.project
    shift.venue_name = "Back door"
    assert shift.place == shift
