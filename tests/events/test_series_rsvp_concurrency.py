"""A horizon run placing standing RSVPs races people answering the same date by hand: nobody
is booked twice, nobody's own answer is changed, and the seats add up. On SQLite and
PostgreSQL, like the other concurrency tests."""

import datetime as dt

import pytest
from django.db.models import F, Sum
from django.utils import timezone

from events.models import Rsvp, SeriesRsvp
from events.services import event_series_create, rsvp_create, series_rsvps_apply
from groups.models import Membership
from tests.concurrency import members, run_together
from tests.factories import EventFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_horizon_run_racing_manual_rsvps_never_double_books():
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    series = event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=2),
        title="Choir rehearsal",
        category="music",
        timezone="Europe/London",
        venue_name="Chapel",
        horizon_days=3,
        guests_allowed=1,
    )
    people = members(group, 20)
    SeriesRsvp.objects.bulk_create(SeriesRsvp(series=series, user=user) for user in people)
    # A new date, not yet booked for anyone (as the horizon run finds it).
    start = timezone.now() + dt.timedelta(days=20)
    date = EventFactory(
        group=group,
        series=series,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=None,
        guests_allowed=1,
    )

    calls = [lambda: series_rsvps_apply(series=series)]
    calls += [lambda user=user: rsvp_create(event=date, user=user, guests=1) for user in people]
    _results, errors = run_together(calls)

    assert errors == []
    rsvps = Rsvp.objects.filter(event=date)
    assert rsvps.count() == 20
    # Everyone's own answer stands (a guest each), whoever came first.
    assert set(rsvps.values_list("status", "guests")) == {(Rsvp.Status.GOING, 1)}
    date.refresh_from_db()
    going = rsvps.aggregate(n=Sum(F("guests") + 1))["n"]
    assert date.seats_taken == going == 40
