"""Checking a volunteer in from several coordinators' phones at once, with the harness the
other concurrency tests use (tests/concurrency.py), on SQLite and PostgreSQL: one hours entry,
one activity row, and every coordinator gets that same entry back (no error)."""

import pytest

from core.models import Activity
from tests.concurrency import run_together
from tests.volunteering.hours_setup import make_setting, make_shift, sign_up
from volunteering.hours import services
from volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_check_ins_write_one_entry_and_all_get_it():
    s = make_setting()
    signup = sign_up(make_shift(s.role, hours=2), s.member)
    coordinators = [s.organizer, s.host] * 5

    results, errors = run_together(
        [
            lambda actor=actor: services.shift_check_in(signup=signup, actor=actor)
            for actor in coordinators
        ]
    )

    assert errors == []
    assert len(results) == 10
    entry = HoursEntry.objects.get()
    assert {result.pk for result in results} == {entry.pk}
    assert entry.minutes == 120
    assert Activity.objects.filter(verb="hours.checked_in").count() == 1
