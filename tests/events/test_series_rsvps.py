"""Standing RSVPs to a series: every date booked through the RSVP service, each date still
releasable, stopped by the member, ended by leaving, a ban, a stopped series or deletion."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.services import user_delete, user_export
from core.exceptions import NotAllowed, ServiceError
from core.models import Activity
from events import notifications
from events.models import Event, Rsvp, SeriesRsvp
from events.permissions import can_keep_standing_rsvp
from events.services import (
    event_series_create,
    event_series_end,
    event_series_materialize,
    event_update,
    rsvp_cancel,
    rsvp_create,
    rsvp_decline,
    series_rsvp_start,
    series_rsvp_stop,
    series_rsvps_apply,
)
from groups.models import Membership
from groups.services import membership_ban, membership_leave
from notifications.models import Notification
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory()


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


def make_series(group, organizer, **fields):
    values = {
        "rrule": "FREQ=WEEKLY",
        "first_starts_at": timezone.now() + dt.timedelta(days=1),
        "duration": dt.timedelta(hours=2),
        "title": "Choir rehearsal",
        "category": "music",
        "timezone": "Europe/London",
        "venue_name": "Chapel",
        "horizon_days": 30,
        "guests_allowed": 2,
        **fields,
    }
    return event_series_create(group=group, actor=organizer, **values)


def dates(series):
    return list(Event.objects.filter(series=series).order_by("starts_at"))


def member(group):
    return MembershipFactory(group=group).user


def status_of(event, user):
    return Rsvp.objects.filter(event=event, user=user).values_list("status", flat=True).first()


def test_starting_books_every_coming_date_and_is_logged(group, organizer):
    series = make_series(group, organizer)
    person = member(group)

    standing = series_rsvp_start(series=series, user=person)

    assert standing.is_active
    assert len(dates(series)) == 5
    assert [status_of(e, person) for e in dates(series)] == [Rsvp.Status.GOING] * 5
    assert Activity.objects.filter(verb="series_rsvp.started", group_id=group.pk).count() == 1
    assert Activity.objects.filter(verb="rsvp.standing").count() == 5
    # One notice for all the dates (tests/events/test_standing_notices.py), none per date.
    assert not Notification.objects.filter(recipient=person, kind=notifications.CONFIRMED)
    assert (
        Notification.objects.filter(recipient=person, kind=notifications.STANDING_STARTED)
        .values("subject")
        .distinct()
        .count()
        == 1
    )
    assert series_rsvp_start(series=series, user=person) == standing
    assert SeriesRsvp.objects.filter(series=series, user=person).count() == 1


def test_only_active_members_keep_a_standing_rsvp(group, organizer):
    series = make_series(group, organizer)
    outsider = UserFactory()
    pending = MembershipFactory(group=group, status=Membership.Status.PENDING).user
    person = member(group)

    for user in (outsider, pending):
        assert not can_keep_standing_rsvp(user, series)
        with pytest.raises(ServiceError):
            series_rsvp_start(series=series, user=user)
    with pytest.raises(NotAllowed):
        series_rsvp_start(series=series, user=person, actor=organizer)
    assert can_keep_standing_rsvp(person, series)
    assert not SeriesRsvp.objects.exists()


def test_a_stopped_series_takes_no_standing_rsvp(group, organizer):
    series = make_series(group, organizer)
    event_series_end(series=series, actor=organizer)
    series.refresh_from_db()
    person = member(group)
    assert not can_keep_standing_rsvp(person, series)
    with pytest.raises(ServiceError):
        series_rsvp_start(series=series, user=person)


def test_capacity_and_waitlist_follow_the_order_standing_rsvps_were_made(group, organizer):
    series = make_series(group, organizer, capacity=1, horizon_days=10)
    first, second = member(group), member(group)
    series_rsvp_start(series=series, user=first)
    series_rsvp_start(series=series, user=second)
    assert [status_of(e, first) for e in dates(series)] == [Rsvp.Status.GOING] * 2
    assert [status_of(e, second) for e in dates(series)] == [Rsvp.Status.WAITLISTED] * 2

    series.horizon_days = 30
    series.save(update_fields=["horizon_days"])
    event_series_materialize(series=series)

    new = dates(series)[2:]
    assert len(new) == 3
    assert {status_of(e, first) for e in new} == {Rsvp.Status.GOING}
    assert {status_of(e, second) for e in new} == {Rsvp.Status.WAITLISTED}
    for event in new:
        assert event.seats_taken == 1


def test_dates_already_answered_are_left_as_they_are(group, organizer):
    series = make_series(group, organizer)
    person = member(group)
    second, third = dates(series)[1:3]
    rsvp_create(event=second, user=person, guests=2)
    rsvp_decline(event=third, user=person)

    series_rsvp_start(series=series, user=person)

    assert Rsvp.objects.get(event=second, user=person).guests == 2
    assert status_of(third, person) == Rsvp.Status.NOT_GOING
    assert Rsvp.objects.filter(user=person).count() == 5


def test_a_released_date_is_not_booked_again(group, organizer):
    series = make_series(group, organizer)
    person = member(group)
    standing = series_rsvp_start(series=series, user=person)
    first = dates(series)[0]
    rsvp_cancel(rsvp=Rsvp.objects.get(event=first, user=person), actor=person)

    assert series_rsvps_apply(series=series) == 0
    event_series_materialize(series=series)

    assert status_of(first, person) == Rsvp.Status.NOT_GOING
    standing.refresh_from_db()
    assert standing.is_active


def test_dates_not_open_yet_are_booked_once_they_open(group, organizer, time_machine):
    series = make_series(group, organizer)
    last = dates(series)[-1]
    opens = last.starts_at - dt.timedelta(days=3)
    event_update(event=last, actor=organizer, rsvp_opens_at=opens)
    person = member(group)

    series_rsvp_start(series=series, user=person)
    assert status_of(last, person) is None

    time_machine.move_to(opens + dt.timedelta(minutes=1))
    series_rsvps_apply(series=series)
    assert status_of(last, person) == Rsvp.Status.GOING


def test_stopping_gives_up_coming_places_and_keeps_past_ones(group, organizer):
    series = make_series(group, organizer, capacity=1)
    person, waiting = member(group), member(group)
    series_rsvp_start(series=series, user=person)
    standing_waiting = series_rsvp_start(series=series, user=waiting)
    past_start = timezone.now() - dt.timedelta(days=7)
    past = EventFactory(
        group=group, series=series, starts_at=past_start, ends_at=past_start + dt.timedelta(hours=2)
    )
    RsvpFactory(event=past, user=person)
    standing = SeriesRsvp.objects.get(user=person)

    with pytest.raises(NotAllowed):
        series_rsvp_stop(series_rsvp=standing, actor=waiting)
    series_rsvp_stop(series_rsvp=standing, actor=person)

    standing.refresh_from_db()
    assert standing.ended_at is not None
    assert standing.end_reason == SeriesRsvp.EndReason.STOPPED
    coming = [e for e in dates(series) if e.pk != past.pk]
    assert {status_of(e, person) for e in coming} == {Rsvp.Status.NOT_GOING}
    # The freed seats went to the next standing RSVP, waiting in line.
    assert {status_of(e, waiting) for e in coming} == {Rsvp.Status.GOING}
    assert status_of(past, person) == Rsvp.Status.GOING
    assert Activity.objects.filter(verb="series_rsvp.stopped").count() == 1
    # No date is booked again for them.
    event_series_materialize(series=series)
    series_rsvps_apply(series=series)
    assert {status_of(e, person) for e in coming} == {Rsvp.Status.NOT_GOING}
    standing_waiting.refresh_from_db()
    assert standing_waiting.is_active
    # Starting again is a new standing RSVP; dates already answered stay as they are.
    again = series_rsvp_start(series=series, user=person)
    assert again.pk != standing.pk
    assert {status_of(e, person) for e in coming} == {Rsvp.Status.NOT_GOING}


@pytest.mark.parametrize("how", ["leave", "ban"])
def test_leaving_or_a_ban_ends_the_standing_rsvp(group, organizer, how):
    series = make_series(group, organizer)
    person = member(group)
    standing = series_rsvp_start(series=series, user=person)
    membership = Membership.objects.get(group=group, user=person)

    if how == "leave":
        membership_leave(membership=membership, actor=person)
    else:
        membership_ban(membership=membership, actor=organizer)

    standing.refresh_from_db()
    assert standing.end_reason == SeriesRsvp.EndReason.LEFT_GROUP
    assert not Rsvp.objects.filter(user=person, status=Rsvp.Status.GOING).exists()
    event_series_materialize(series=series)
    assert not Rsvp.objects.filter(user=person, status=Rsvp.Status.GOING).exists()


def test_a_stopped_series_ends_its_standing_rsvps(group, organizer):
    series = make_series(group, organizer)
    standing = series_rsvp_start(series=series, user=member(group))
    event_series_end(series=series, actor=organizer)
    standing.refresh_from_db()
    assert standing.end_reason == SeriesRsvp.EndReason.SERIES_ENDED


def test_personal_data_export_and_erase(group, organizer):
    series = make_series(group, organizer)
    person = member(group)
    standing = series_rsvp_start(series=series, user=person)

    exported = user_export(user=person)
    assert exported["events"]["standing_rsvps"][0]["series"] == "Choir rehearsal"
    assert exported["events"]["standing_rsvps"][0]["ended_at"] is None

    user_delete(user=person)
    standing.refresh_from_db()
    assert standing.ended_at is not None
    assert not Rsvp.objects.filter(user=person, status=Rsvp.Status.GOING).exists()
    event_series_materialize(series=series)
    assert not Rsvp.objects.filter(user=person, status=Rsvp.Status.GOING).exists()


def test_model_rules():
    row = SeriesRsvp(ended_at=timezone.now(), end_reason="")
    with pytest.raises(Exception, match="says why"):
        row.clean()
