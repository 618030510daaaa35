"""Rules added to volunteering for the organizer workspace, called through the services: changing
a team without withdrawing, what ending a membership does to sign-ups, withdrawing after the
start, skipping a date of a repeating shift, the hours notices to coordinators and on
corrections, and care slots' date range."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.actors import Actor
from core.exceptions import NotAllowed, ServiceError
from core.models import Activity
from core.refs import ref
from groups.models import Group, Membership
from groups.services import membership_ban, membership_leave, membership_remove
from notifications.models import Notification
from notifications.registry import get as get_kind
from tests.factories import GroupFactory, MembershipFactory, ShiftFactory, UserFactory
from tests.volunteering.hours_setup import make_setting, make_shift, sign_up
from volunteering.hours import notifications as hours_notices
from volunteering.hours import services as hours_services
from volunteering.models import CareSlot, CareSlotSeries, Shift, ShiftSignup
from volunteering.services import (
    shift_series_create,
    signup_create,
    signup_team_change,
    signup_withdraw,
)
from volunteering.services.signups import WITHDRAW_AFTER_START

pytestmark = pytest.mark.django_db


def _member(group):
    return MembershipFactory(group=group).user


# --- a team changes size without withdrawing -------------------------------------------------


def test_smaller_team_frees_places_for_the_waitlist_in_order(group):
    shift = ShiftFactory(role__project__group=group, capacity=3)
    leader, first, second = _member(group), _member(group), _member(group)
    signup = signup_create(shift=shift, user=leader, team=["Ann", "Bo"])
    waiting_first = signup_create(shift=shift, user=first)
    waiting_second = signup_create(shift=shift, user=second)
    assert waiting_first.status == ShiftSignup.Status.WAITLISTED

    signup_team_change(signup=signup, actor=leader, team=[])

    shift.refresh_from_db()
    signup.refresh_from_db()
    waiting_first.refresh_from_db()
    waiting_second.refresh_from_db()
    assert signup.status == ShiftSignup.Status.SIGNED_UP
    assert signup.team == []
    assert waiting_first.status == ShiftSignup.Status.SIGNED_UP
    assert waiting_second.status == ShiftSignup.Status.SIGNED_UP
    assert shift.seats_taken == 3
    assert Activity.objects.filter(verb="shift_signup.team_changed").count() == 1


def test_bigger_team_takes_places_only_when_they_fit(group):
    shift = ShiftFactory(role__project__group=group, capacity=3)
    leader = _member(group)
    signup = signup_create(shift=shift, user=leader, team=["Ann"])
    signup_team_change(signup=signup, actor=leader, team=["Ann", "Bo"])
    shift.refresh_from_db()
    assert shift.seats_taken == 3

    with pytest.raises(ServiceError) as error:
        signup_team_change(signup=signup, actor=leader, team=["Ann", "Bo", "Cy"])
    assert "team" in error.value.message_dict
    shift.refresh_from_db()
    signup.refresh_from_db()
    assert shift.seats_taken == 3
    assert signup.team == ["Ann", "Bo"]
    assert signup.status == ShiftSignup.Status.SIGNED_UP


def test_waitlisted_team_changes_without_taking_places(group):
    shift = ShiftFactory(role__project__group=group, capacity=1)
    signup_create(shift=shift, user=_member(group))
    waiting = _member(group)
    signup = signup_create(shift=shift, user=waiting)
    signup_team_change(signup=signup, actor=waiting, team=["Ann"])
    signup.refresh_from_db()
    shift.refresh_from_db()
    assert signup.status == ShiftSignup.Status.WAITLISTED
    assert signup.team == ["Ann"]
    assert shift.seats_taken == 1


def test_only_the_volunteer_changes_their_team(group, organizer):
    shift = ShiftFactory(role__project__group=group, capacity=5)
    volunteer = _member(group)
    signup = signup_create(shift=shift, user=volunteer)
    for someone in (organizer, _member(group), Actor.client(client_id=1, name="Partner")):
        with pytest.raises(NotAllowed):
            signup_team_change(signup=signup, actor=someone, team=["Ann"])
    signup.refresh_from_db()
    assert signup.team == []


def test_team_change_refuses_bad_names_and_started_shifts(group):
    shift = ShiftFactory(role__project__group=group, capacity=5)
    volunteer = _member(group)
    signup = signup_create(shift=shift, user=volunteer)
    with pytest.raises(ServiceError):
        signup_team_change(signup=signup, actor=volunteer, team=["Ann\u202e"])
    with pytest.raises(ServiceError):
        signup_team_change(signup=signup, actor=volunteer, team=[f"N{i}" for i in range(11)])
    started = shift.starts_at + dt.timedelta(minutes=1)
    with time_machine.travel(started), pytest.raises(ServiceError):
        signup_team_change(signup=signup, actor=volunteer, team=["Ann"])


def test_already_signed_up_with_another_team_points_to_changing_it(group):
    shift = ShiftFactory(role__project__group=group, capacity=5)
    volunteer = _member(group)
    signup_create(shift=shift, user=volunteer)
    with pytest.raises(ServiceError) as error:
        signup_create(shift=shift, user=volunteer, team=["Ann"])
    assert "team" in error.value.message_dict


# --- ending a membership ---------------------------------------------------------------------


def _signed_up(group, user):
    shift = ShiftFactory(role__project__group=group, capacity=5)
    return signup_create(shift=shift, user=user)


@pytest.mark.parametrize("visibility", [Group.Visibility.PUBLIC, Group.Visibility.UNLISTED])
def test_leaving_a_group_anyone_may_see_keeps_the_shifts(visibility):
    group = GroupFactory(visibility=visibility)
    volunteer = _member(group)
    signup = _signed_up(group, volunteer)
    membership = Membership.objects.get(group=group, user=volunteer)
    membership_leave(membership=membership, actor=volunteer)
    signup.refresh_from_db()
    assert signup.status == ShiftSignup.Status.SIGNED_UP


def test_being_removed_from_a_public_group_keeps_the_shifts(organizer, group):
    volunteer = _member(group)
    signup = _signed_up(group, volunteer)
    membership_remove(
        membership=Membership.objects.get(group=group, user=volunteer), actor=organizer
    )
    signup.refresh_from_db()
    assert signup.status == ShiftSignup.Status.SIGNED_UP


def test_leaving_a_private_group_withdraws_the_shifts():
    organizer = UserFactory()
    group = GroupFactory(organizer=organizer, visibility=Group.Visibility.PRIVATE)
    volunteer = _member(group)
    signup = _signed_up(group, volunteer)
    membership = Membership.objects.get(group=group, user=volunteer)
    membership_leave(membership=membership, actor=volunteer)
    signup.refresh_from_db()
    assert signup.status == ShiftSignup.Status.WITHDRAWN


def test_a_ban_withdraws_the_shifts_even_in_a_public_group(organizer, group):
    volunteer = _member(group)
    signup = _signed_up(group, volunteer)
    membership_ban(membership=Membership.objects.get(group=group, user=volunteer), actor=organizer)
    signup.refresh_from_db()
    assert signup.status == ShiftSignup.Status.WITHDRAWN


# --- withdrawing after the start -------------------------------------------------------------


def test_withdrawing_after_the_start_is_refused_with_the_reason(group, organizer):
    shift = ShiftFactory(role__project__group=group, capacity=5)
    volunteer = _member(group)
    signup = signup_create(shift=shift, user=volunteer)
    with time_machine.travel(shift.starts_at + dt.timedelta(minutes=5)):
        for actor in (volunteer, organizer):
            with pytest.raises(ServiceError) as error:
                signup_withdraw(signup=signup, actor=actor)
            assert str(WITHDRAW_AFTER_START) in error.value.messages
    signup.refresh_from_db()
    assert signup.status == ShiftSignup.Status.SIGNED_UP


# --- skipping a date of a repeating shift ----------------------------------------------------


def _next_weekday(days_ahead=7):
    return (timezone.now() + dt.timedelta(days=days_ahead)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )


def test_a_skipped_date_is_cancelled_and_never_made_again(group, organizer):
    shift = ShiftFactory(role__project__group=group)
    first = _next_weekday()
    skipped = first + dt.timedelta(weeks=2)
    series = shift_series_create(
        role=shift.role,
        actor=organizer,
        rrule="FREQ=WEEKLY;COUNT=4",
        first_starts_at=first,
        duration=dt.timedelta(hours=2),
        timezone="UTC",
        skip_dates=[skipped.date()],
    )
    shifts = list(series.shifts.order_by("starts_at"))
    assert len(shifts) == 4
    assert [s.status for s in shifts] == ["scheduled", "scheduled", "cancelled", "scheduled"]
    from volunteering.services import shift_series_materialize

    assert shift_series_materialize(series=series) == 0
    assert series.shifts.filter(status=Shift.Status.SCHEDULED).count() == 3


def test_skipping_a_date_the_rule_does_not_give_creates_nothing(group, organizer):
    shift = ShiftFactory(role__project__group=group)
    first = _next_weekday()
    with pytest.raises(ServiceError) as error:
        shift_series_create(
            role=shift.role,
            actor=organizer,
            rrule="FREQ=WEEKLY;COUNT=4",
            first_starts_at=first,
            duration=dt.timedelta(hours=2),
            timezone="UTC",
            skip_dates=[(first + dt.timedelta(days=1)).date()],
        )
    assert "skip_date" in error.value.message_dict
    assert not Shift.objects.filter(series__isnull=False).exists()


# --- hours notices ---------------------------------------------------------------------------


def _rows(kind, **filters):
    return Notification.objects.filter(kind=kind, channel="email", **filters)


def test_logged_hours_tell_the_coordinators_once_a_day_an_hour_later():
    s = make_setting()
    before = timezone.now()
    for days_ago in (1, 2, 3):
        hours_services.hours_entry_log(
            volunteer=s.member,
            project=s.project,
            worked_on=timezone.localdate() - dt.timedelta(days=days_ago),
            minutes=60,
            actor=s.member,
        )
    rows = _rows(hours_notices.HOURS_WAITING)
    assert set(rows.values_list("recipient_id", flat=True)) == {s.organizer.pk, s.host.pk}
    assert rows.count() == 2
    for row in rows:
        assert row.send_at >= before + hours_notices.WAITING_GATHER
        assert row.subject == ref(s.project)


def test_the_waiting_notice_counts_what_waits_when_sent_and_none_when_nothing_does():
    s = make_setting()
    entries = [
        hours_services.hours_entry_log(
            volunteer=s.member,
            project=s.project,
            worked_on=timezone.localdate() - dt.timedelta(days=days_ago),
            minutes=60,
            actor=s.member,
        )
        for days_ago in (1, 2)
    ]
    kind = get_kind(hours_notices.HOURS_WAITING)
    row = _rows(hours_notices.HOURS_WAITING, recipient=s.organizer).get()
    rendered = kind.render([row])[row.pk]
    assert rendered.subject == "2 hours entries wait for you in Saturday food bank"
    for entry in entries:
        hours_services.hours_entry_verify(entry=entry, actor=s.host)
    assert kind.render([row])[row.pk] is None


def test_the_waiting_notice_goes_to_nobody_who_stopped_coordinating():
    s = make_setting()
    hours_services.hours_entry_log(
        volunteer=s.member,
        project=s.project,
        worked_on=timezone.localdate(),
        minutes=60,
        actor=s.member,
    )
    row = _rows(hours_notices.HOURS_WAITING, recipient=s.host).get()
    Membership.objects.filter(group=s.group, user=s.host).update(role=Membership.Role.MEMBER)
    assert get_kind(hours_notices.HOURS_WAITING).render([row])[row.pk] is None


def test_a_coordinator_does_not_hear_about_their_own_hours():
    s = make_setting()
    hours_services.hours_entry_log(
        volunteer=s.host,
        project=s.project,
        worked_on=timezone.localdate(),
        minutes=60,
        actor=s.host,
    )
    assert set(_rows(hours_notices.HOURS_WAITING).values_list("recipient_id", flat=True)) == {
        s.organizer.pk
    }


def test_check_in_tells_the_coordinators_too():
    s = make_setting()
    shift = make_shift(s.role, days_ago=0, hours=2)
    signup = sign_up(shift, s.member)
    hours_services.shift_check_in(signup=signup, actor=s.host)
    assert _rows(hours_notices.HOURS_WAITING, recipient=s.organizer).exists()


def test_correcting_verified_hours_tells_the_volunteer():
    s = make_setting()
    entry = hours_services.hours_entry_log(
        volunteer=s.member,
        project=s.project,
        worked_on=timezone.localdate(),
        minutes=180,
        actor=s.member,
    )
    hours_services.hours_entry_verify(entry=entry, actor=s.host)
    hours_services.hours_entry_correct(
        entry=entry, minutes=120, note="You left at noon", actor=s.organizer
    )
    row = _rows(hours_notices.HOURS_CORRECTED, recipient=s.member).get()
    rendered = get_kind(hours_notices.HOURS_CORRECTED).render([row])[row.pk]
    assert rendered.subject == "Your hours for Saturday food bank were corrected"
    assert rendered.context["was"] == "3.00"
    assert rendered.context["now"] == "2.00"
    assert rendered.context["note"] == "You left at noon"


def test_no_correction_notice_for_hours_never_corrected():
    s = make_setting()
    entry = hours_services.hours_entry_log(
        volunteer=s.member,
        project=s.project,
        worked_on=timezone.localdate(),
        minutes=180,
        actor=s.member,
    )
    hours_services.hours_entry_verify(entry=entry, actor=s.host)
    assert not _rows(hours_notices.HOURS_CORRECTED).exists()
    # A forged row about an uncorrected entry renders to nothing.
    hours_notices.on_hours_corrected(entry=entry)
    row = _rows(hours_notices.HOURS_CORRECTED).get()
    assert get_kind(hours_notices.HOURS_CORRECTED).render([row])[row.pk] is None


# --- care slots hold the date range ----------------------------------------------------------


@pytest.mark.parametrize("year", [1899, 3000])
def test_care_slot_refuses_dates_out_of_range(year):
    start = dt.datetime(year, 6, 1, 10, tzinfo=dt.UTC)
    slot = CareSlot(starts_at=start, ends_at=start + dt.timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        slot.clean()
    assert "starts_at" in error.value.message_dict


def test_care_slot_series_refuses_a_first_start_out_of_range():
    series = CareSlotSeries(
        rrule="FREQ=WEEKLY",
        first_starts_at=dt.datetime(9999, 12, 31, 23, tzinfo=dt.UTC),
        duration=dt.timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as error:
        series.clean()
    assert "first_starts_at" in error.value.message_dict


def test_the_inbox_keeps_the_waiting_notice_only_for_coordinators():
    from notifications.selectors import inbox_for

    s = make_setting()
    entry = hours_services.hours_entry_log(
        volunteer=s.member,
        project=s.project,
        worked_on=timezone.localdate(),
        minutes=60,
        actor=s.member,
    )
    Notification.objects.filter(kind=hours_notices.HOURS_WAITING).update(
        status=Notification.Status.SENT, sent_at=timezone.now()
    )
    row = Notification.objects.get(
        kind=hours_notices.HOURS_WAITING, recipient=s.host, channel="inbox"
    )
    assert list(inbox_for(user=s.host)) == [row]
    hours_services.hours_entry_verify(entry=entry, actor=s.organizer)
    rendered = get_kind(hours_notices.HOURS_WAITING).render([row], delivering=False)[row.pk]
    assert rendered.subject == "The hours of Saturday food bank are all reviewed"
    Membership.objects.filter(group=s.group, user=s.host).update(role=Membership.Role.MEMBER)
    assert list(inbox_for(user=s.host)) == []
    assert get_kind(hours_notices.HOURS_WAITING).render([row], delivering=False)[row.pk] is None
