import datetime as dt
import zoneinfo

import pytest

from core.exceptions import NotAllowed, ServiceError
from core.recurrence import normalize_rrule, occurrences_between
from events import notifications
from events.models import Event, EventSeries, Rsvp
from events.services import (
    event_cancel,
    event_series_create,
    event_series_end,
    event_series_materialize,
    event_series_update,
    event_update,
    rsvp_create,
    rsvp_decline,
)
from events.tasks import event_series_materialize_all_task
from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# A Monday, four weeks before Berlin moves its clocks forward (28 March 2027).
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=BERLIN)
FIRST = dt.datetime(2027, 3, 2, 19, 0, tzinfo=BERLIN)  # a Tuesday


@pytest.fixture
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def group():
    return GroupFactory()


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


def make_series(group, organizer, **fields):
    values = {
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "first_starts_at": FIRST,
        "duration": dt.timedelta(hours=2),
        "title": "Choir practice",
        "category": "music",
        "timezone": "Europe/Berlin",
        "venue_name": "Gemeindehaus",
        "capacity": 12,
        "horizon_days": 35,
        **fields,
    }
    return event_series_create(group=group, actor=organizer, **values)


def occurrences(series):
    return list(Event.objects.filter(series=series).order_by("starts_at"))


def local(value):
    return value.astimezone(BERLIN)


# The rule itself


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;BYDAY=TU"),
        ("RRULE:freq=monthly;byday=-1fr", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1;", "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1"),
        ("FREQ=WEEKLY;UNTIL=20270401", "FREQ=WEEKLY;UNTIL=20270401T215959Z"),
    ],
)
def test_rules_are_stored_in_canonical_form(text, expected):
    assert normalize_rrule(text, timezone="Europe/Berlin") == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "nonsense",
        "FREQ=HOURLY",
        "FREQ=SECONDLY",
        "BYDAY=TU",
        "FREQ=WEEKLY;BYHOUR=3",
        "FREQ=WEEKLY;COUNT=5000",
        "FREQ=WEEKLY;COUNT=0",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=WEEKLY;INTERVAL=x",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        "FREQ=DAILY;BYMONTH=4,6;BYMONTHDAY=31",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=DAILY;BYSETPOS=1",
        "FREQ=WEEKLY;COUNT=3;UNTIL=20300101",
        "FREQ=WEEKLY;UNTIL=someday",
        "FREQ=WEEKLY;FREQ=DAILY",
        "DTSTART:20270101T100000Z",
        "FREQ=WEEKLY\nRRULE:FREQ=DAILY",
    ],
)
def test_nonsense_rules_are_refused(text):
    with pytest.raises(ServiceError):
        normalize_rrule(text, timezone="Europe/Berlin")


def test_until_date_includes_that_day_in_the_series_zone():
    starts = list(
        occurrences_between(
            rule="FREQ=DAILY;UNTIL=20270305",
            first_starts_at=FIRST,
            timezone="Europe/Berlin",
            after=FIRST,
            before=FIRST + dt.timedelta(days=30),
        )
    )
    assert [local(s).day for s in starts] == [2, 3, 4, 5]


@pytest.mark.parametrize(
    ("first", "change_day"),
    [
        (FIRST, dt.date(2027, 3, 28)),  # clocks go forward
        (dt.datetime(2027, 10, 5, 19, 0, tzinfo=BERLIN), dt.date(2027, 10, 31)),  # and back
    ],
)
def test_occurrences_keep_wall_clock_time_across_dst(first, change_day):
    starts = list(
        occurrences_between(
            rule="FREQ=WEEKLY;BYDAY=TU",
            first_starts_at=first,
            timezone="Europe/Berlin",
            after=first,
            before=first + dt.timedelta(days=50),
        )
    )
    assert len(starts) == 8
    assert {(local(s).hour, local(s).minute) for s in starts} == {(19, 0)}
    before = [s for s in starts if local(s).date() < change_day]
    after = [s for s in starts if local(s).date() > change_day]
    assert before
    assert after
    # The same wall-clock time is a different UTC hour on each side of the change.
    assert {s.astimezone(dt.UTC).hour for s in before} != {s.astimezone(dt.UTC).hour for s in after}
    assert len({s.astimezone(dt.UTC).hour for s in after}) == 1


def test_time_skipped_by_spring_change_becomes_a_real_instant():
    first = dt.datetime(2027, 3, 21, 2, 30, tzinfo=BERLIN)
    starts = list(
        occurrences_between(
            rule="FREQ=WEEKLY",
            first_starts_at=first,
            timezone="Europe/Berlin",
            after=first,
            before=first + dt.timedelta(days=15),
        )
    )
    assert len(starts) == 3
    assert all(s.tzinfo is dt.UTC for s in starts)
    # 02:30 does not exist on 28 March: it is read as 03:30 summer time, then back to 02:30.
    assert [(local(s).hour, local(s).minute) for s in starts] == [(2, 30), (3, 30), (2, 30)]


# Materializing occurrences


def test_series_creates_its_occurrences_over_the_horizon(now, group, organizer):
    series = make_series(group, organizer, tags=["Singing"], guests_allowed=1)

    events = occurrences(series)

    # Tuesdays from 2 March up to 35 days after 1 March (5 April).
    assert [local(e.starts_at).date().isoformat() for e in events] == [
        "2027-03-02",
        "2027-03-09",
        "2027-03-16",
        "2027-03-23",
        "2027-03-30",
    ]
    assert {(local(e.starts_at).hour, local(e.starts_at).minute) for e in events} == {(19, 0)}
    assert events[3].starts_at.astimezone(dt.UTC).hour == 18
    assert events[4].starts_at.astimezone(dt.UTC).hour == 17
    for event in events:
        assert event.ends_at - event.starts_at == dt.timedelta(hours=2)
        assert event.recurrence_id == event.starts_at
        assert (event.title, event.venue_name, event.capacity, event.guests_allowed) == (
            "Choir practice",
            "Gemeindehaus",
            12,
            1,
        )
        assert event.group == group
        assert event.created_by == organizer
        assert list(event.tags.values_list("name", flat=True)) == ["Singing"]
    assert events[0].slug == "choir-practice-2027-03-02"
    series.refresh_from_db()
    assert series.materialized_until == now.astimezone(dt.UTC) + dt.timedelta(days=35)


def test_materialize_is_idempotent(now, group, organizer):
    series = make_series(group, organizer)
    count = len(occurrences(series))

    assert event_series_materialize(series=series) == 0
    series.materialized_until = None
    series.save()
    assert event_series_materialize(series=series) == 0
    assert len(occurrences(series)) == count


def test_horizon_rolls_forward(now, group, organizer, time_machine):
    series = make_series(group, organizer)
    count = len(occurrences(series))

    time_machine.move_to(NOW + dt.timedelta(days=7), tick=False)

    assert event_series_materialize(series=series) == 1
    assert len(occurrences(series)) == count + 1


def test_count_limits_the_occurrences(now, group, organizer, time_machine):
    series = make_series(group, organizer, rrule="FREQ=WEEKLY;COUNT=3")
    time_machine.move_to(NOW + dt.timedelta(days=30), tick=False)
    event_series_materialize(series=series)
    assert len(occurrences(series)) == 3


def test_occurrence_deleted_by_hand_is_not_made_again(now, group, organizer, time_machine):
    series = make_series(group, organizer)
    occurrences(series)[1].delete()
    time_machine.move_to(NOW + dt.timedelta(days=7), tick=False)
    event_series_materialize(series=series)
    dates = [local(e.starts_at).day for e in occurrences(series)]
    assert 9 not in dates


def test_moved_occurrence_is_not_made_again(now, group, organizer):
    series = make_series(group, organizer)
    second = occurrences(series)[1]
    moved = second.starts_at + dt.timedelta(days=1)
    event_update(
        event=second, actor=organizer, starts_at=moved, ends_at=moved + dt.timedelta(hours=2)
    )

    series.materialized_until = None
    series.save()
    assert event_series_materialize(series=series) == 0
    second.refresh_from_db()
    assert second.edited_from_series
    assert second.starts_at == moved


def test_occurrences_take_rsvps_like_any_event(now, group, organizer):
    series = make_series(group, organizer, capacity=1)
    first = occurrences(series)[0]
    member = MembershipFactory(group=group).user
    assert rsvp_create(event=first, user=member).status == Rsvp.Status.GOING


def test_series_that_never_happens_is_refused(now, group, organizer):
    with pytest.raises(ServiceError) as error:
        make_series(group, organizer, rrule="FREQ=WEEKLY;UNTIL=20270201")
    assert "rrule" in error.value.message_dict
    assert not EventSeries.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rrule": "FREQ=MINUTELY"}, "rrule"),
        ({"duration": dt.timedelta(0)}, "duration"),
        ({"horizon_days": 0}, "horizon_days"),
        ({"timezone": "Nowhere/Town"}, "timezone"),
    ],
)
def test_invalid_series_is_refused(now, group, organizer, fields, field):
    with pytest.raises(ServiceError) as error:
        make_series(group, organizer, **fields)
    assert field in error.value.message_dict
    assert not Event.objects.exists()


def test_member_may_not_create_a_series(now, group):
    member = MembershipFactory(group=group).user
    with pytest.raises(NotAllowed):
        make_series(group, member)


def test_task_materializes_every_running_series(now, group, organizer, time_machine):
    running = make_series(group, organizer)
    stopped = make_series(group, organizer, title="Stopped")
    EventSeries.objects.filter(pk=stopped.pk).update(ended_at=NOW + dt.timedelta(days=1))
    before = (len(occurrences(running)), len(occurrences(stopped)))

    time_machine.move_to(NOW + dt.timedelta(days=14), tick=False)
    assert event_series_materialize_all_task.delay().get() == 2

    assert (len(occurrences(running)), len(occurrences(stopped))) == (before[0] + 2, before[1])


# Editing a series


def test_series_edit_changes_future_unedited_occurrences_only(
    now, group, organizer, time_machine, changed
):
    series = make_series(group, organizer)
    past, edited, *following = occurrences(series)
    event_update(event=edited, actor=organizer, title="Special concert")
    time_machine.move_to(past.starts_at + dt.timedelta(hours=3), tick=False)

    event_series_update(
        series=series, actor=organizer, title="Choir", venue_name="Town hall", tags=["Music"]
    )

    past.refresh_from_db()
    edited.refresh_from_db()
    assert (past.title, past.venue_name) == ("Choir practice", "Gemeindehaus")
    assert (edited.title, edited.venue_name) == ("Special concert", "Gemeindehaus")
    for event in following:
        event.refresh_from_db()
        assert (event.title, event.venue_name) == ("Choir", "Town hall")
        assert not event.edited_from_series
        assert list(event.tags.values_list("name", flat=True)) == ["Music"]
    assert [c["changed_fields"] for c in changed] == [{"venue_name"}] * len(following)


def test_series_city_goes_to_its_occurrences(now, group, organizer):
    series = make_series(group, organizer, city="Potsdam")
    assert {e.city for e in occurrences(series)} == {"Potsdam"}
    event_series_update(series=series, actor=organizer, city="")
    assert {(e.city, e.public_city) for e in occurrences(series)} == {("", group.city)}


def test_new_time_moves_occurrences_and_keeps_their_rsvps(now, group, organizer, changed):
    series = make_series(group, organizer)
    first = occurrences(series)[0]
    rsvp = rsvp_create(event=first, user=MembershipFactory(group=group).user)
    count = len(occurrences(series))

    event_series_update(series=series, actor=organizer, first_starts_at=FIRST.replace(hour=18))

    events = occurrences(series)
    assert len(events) == count
    assert events[0].pk == first.pk
    assert {(local(e.starts_at).hour, local(e.ends_at).hour) for e in events} == {(18, 20)}
    assert all(e.recurrence_id == e.starts_at for e in events)
    rsvp.refresh_from_db()
    assert rsvp.status == Rsvp.Status.GOING
    assert changed[0]["changed_fields"] == {"starts_at", "ends_at"}


def test_new_rule_removes_old_dates_and_makes_new_ones(now, group, organizer):
    series = make_series(group, organizer)
    with_rsvp, edited, without, *_rest = occurrences(series)
    rsvp_create(event=with_rsvp, user=MembershipFactory(group=group).user)
    event_update(event=edited, actor=organizer, description="Bring sheet music")

    event_series_update(
        series=series,
        actor=organizer,
        rrule="FREQ=WEEKLY;BYDAY=TH",
        first_starts_at=FIRST + dt.timedelta(days=2),
    )

    with_rsvp.refresh_from_db()
    edited.refresh_from_db()
    assert with_rsvp.status == Event.Status.CANCELLED
    assert with_rsvp.cancellation_message
    assert edited.status == Event.Status.SCHEDULED
    assert not Event.objects.filter(pk=without.pk).exists()
    scheduled = Event.objects.filter(series=series, status=Event.Status.SCHEDULED)
    weekdays = {local(e.starts_at).strftime("%a") for e in scheduled.exclude(pk=edited.pk)}
    assert weekdays == {"Thu"}
    assert scheduled.exclude(pk=edited.pk).count() == 5


def test_ending_a_series_removes_later_occurrences(now, group, organizer):
    series = make_series(group, organizer)
    event_series_update(series=series, actor=organizer, ended_at=FIRST + dt.timedelta(days=10))
    assert [local(e.starts_at).day for e in occurrences(series)] == [2, 9]


def test_series_capacity_below_an_occurrences_seats_changes_nothing(now, group, organizer):
    series = make_series(group, organizer, capacity=5)
    second = occurrences(series)[1]
    for _ in range(3):
        rsvp_create(event=second, user=MembershipFactory(group=group).user)

    with pytest.raises(ServiceError, match="2027-03-09"):
        event_series_update(series=series, actor=organizer, capacity=2)

    series.refresh_from_db()
    assert series.capacity == 5
    assert {e.capacity for e in occurrences(series)} == {5}


def test_cancelled_occurrence_is_left_alone_by_series_edits(now, group, organizer):
    series = make_series(group, organizer)
    second = occurrences(series)[1]
    event_cancel(event=second, actor=organizer, message="Holiday")

    event_series_update(series=series, actor=organizer, first_starts_at=FIRST.replace(hour=18))

    second.refresh_from_db()
    assert second.status == Event.Status.CANCELLED
    assert local(second.starts_at).hour == 19
    on_that_day = [e for e in occurrences(series) if local(e.starts_at).day == 9]
    assert on_that_day == [second]


def test_member_may_not_edit_a_series(now, group, organizer):
    series = make_series(group, organizer)
    with pytest.raises(NotAllowed):
        event_series_update(series=series, actor=MembershipFactory(group=group).user, title="Mine")


def test_occurrence_with_its_own_tags_keeps_them_after_series_edits(now, group, organizer):
    series = make_series(group, organizer, tags=["Singing"])
    first = occurrences(series)[0]
    event_update(event=first, actor=organizer, tags=["Concert"])
    event_series_update(series=series, actor=organizer, tags=["Rehearsal"])
    first.refresh_from_db()
    assert first.edited_from_series
    assert list(first.tags.values_list("name", flat=True)) == ["Concert"]
    assert list(occurrences(series)[1].tags.values_list("name", flat=True)) == ["Rehearsal"]


# Stopping a series


@pytest.fixture
def cancelled(monkeypatch):
    calls = []
    original = notifications.on_event_cancelled

    def spy(**kwargs):
        calls.append(kwargs)
        original(**kwargs)

    monkeypatch.setattr(notifications, "on_event_cancelled", spy)
    return calls


def test_stopping_a_series_removes_coming_dates_and_cancels_answered_ones(
    now, group, organizer, time_machine, cancelled
):
    series = make_series(group, organizer)
    past, going, waiting, edited, declined = occurrences(series)
    rsvp_create(event=going, user=MembershipFactory(group=group).user)
    Event.objects.filter(pk=waiting.pk).update(capacity=0)
    assert rsvp_create(event=waiting, user=MembershipFactory(group=group).user).status == (
        Rsvp.Status.WAITLISTED
    )
    event_update(event=edited, actor=organizer, title="Summer concert")
    rsvp_decline(event=declined, user=MembershipFactory(group=group).user)
    stop_at = past.starts_at + dt.timedelta(hours=3)
    time_machine.move_to(stop_at, tick=False)

    event_series_end(series=series, actor=organizer, message="  We stop for the summer.  ")

    series.refresh_from_db()
    assert series.ended_at == stop_at
    remaining = {e.pk: e for e in occurrences(series)}
    assert set(remaining) == {past.pk, going.pk, waiting.pk, edited.pk}
    assert remaining[past.pk].status == Event.Status.SCHEDULED
    assert remaining[edited.pk].status == Event.Status.SCHEDULED
    for pk in (going.pk, waiting.pk):
        assert remaining[pk].status == Event.Status.CANCELLED
        assert remaining[pk].cancellation_message == "We stop for the summer."
    assert [(c["event"].pk, c["message"]) for c in cancelled] == [
        (going.pk, "We stop for the summer."),
        (waiting.pk, "We stop for the summer."),
    ]
    time_machine.move_to(NOW + dt.timedelta(days=60), tick=False)
    assert event_series_materialize(series=series) == 0


def test_stopping_without_a_message_gives_a_reason(now, group, organizer):
    series = make_series(group, organizer)
    first = occurrences(series)[0]
    rsvp_create(event=first, user=MembershipFactory(group=group).user)
    event_series_end(series=series, actor=organizer)
    first.refresh_from_db()
    assert first.status == Event.Status.CANCELLED
    assert first.cancellation_message == "This date is cancelled: the event no longer repeats."
    assert occurrences(series) == [first]


def test_stopping_a_stopped_series_changes_nothing(now, group, organizer, time_machine):
    series = make_series(group, organizer)
    event_series_end(series=series, actor=organizer)
    ended_at = EventSeries.objects.get(pk=series.pk).ended_at
    time_machine.move_to(NOW + dt.timedelta(days=1), tick=False)
    event_series_end(series=series, actor=organizer)
    assert EventSeries.objects.get(pk=series.pk).ended_at == ended_at


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, None])
def test_only_organizers_and_hosts_stop_a_series(now, group, organizer, role):
    series = make_series(group, organizer)
    actor = MembershipFactory(group=group, role=role).user if role else MembershipFactory().user
    with pytest.raises(NotAllowed):
        event_series_end(series=series, actor=actor)
    assert EventSeries.objects.get(pk=series.pk).ended_at is None
    assert len(occurrences(series)) == 5


def test_host_stops_a_series(now, group, organizer):
    series = make_series(group, organizer)
    host = MembershipFactory(group=group, role=Membership.Role.HOST).user
    event_series_end(series=series, actor=host)
    assert occurrences(series) == []
