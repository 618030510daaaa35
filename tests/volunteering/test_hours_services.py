"""The hours ledger's rules, each called through its service."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.actors import Actor
from core.exceptions import NotAllowed, ServiceError
from core.models import Activity
from notifications.models import Notification
from tests.factories import UserFactory
from tests.volunteering.hours_setup import make_setting, make_shift, sign_up
from volunteering.hours import services
from volunteering.hours.notifications import HOURS_REJECTED, HOURS_VERIFIED
from volunteering.models import HoursEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return make_setting()


def _yesterday():
    return timezone.localdate() - dt.timedelta(days=1)


def _log(s, volunteer=None, minutes=120, **kwargs):
    volunteer = volunteer or s.member
    return services.hours_entry_log(
        volunteer=volunteer,
        project=s.project,
        worked_on=kwargs.pop("worked_on", _yesterday()),
        minutes=minutes,
        actor=kwargs.pop("actor", volunteer),
        **kwargs,
    )


def test_member_logs_pending_hours_with_activity(s):
    entry = _log(s)
    assert entry.status == HoursEntry.Status.PENDING
    assert entry.source == HoursEntry.Source.LOGGED
    assert Activity.objects.filter(verb="hours.logged", group_id=s.group.pk).count() == 1


def test_nobody_logs_hours_for_someone_else(s):
    with pytest.raises(NotAllowed):
        _log(s, actor=s.organizer)


def test_outsider_without_signup_cannot_log_project_hours(s):
    with pytest.raises(ServiceError):
        _log(s, volunteer=UserFactory())


def test_signed_up_outsider_logs_hours_for_the_shift_date(s):
    outsider = UserFactory()
    shift = make_shift(s.role, days_ago=2)
    sign_up(shift, outsider)
    entry = _log(s, volunteer=outsider, shift=shift, worked_on=timezone.localdate())
    assert entry.worked_on == shift.starts_at.date()
    assert entry.signup.user == outsider


def test_hours_for_a_shift_not_signed_up_to_are_refused(s):
    shift = make_shift(s.role)
    with pytest.raises(ServiceError) as error:
        _log(s, shift=shift)
    assert "shift" in error.value.field_errors()


def test_hours_for_a_shift_that_has_not_started_are_refused(s):
    shift = make_shift(s.role, days_ago=-2)
    sign_up(shift, s.member)
    with pytest.raises(ServiceError):
        _log(s, shift=shift)


def test_a_shift_is_logged_once(s):
    shift = make_shift(s.role)
    sign_up(shift, s.member)
    _log(s, shift=shift)
    with pytest.raises(ServiceError):
        _log(s, shift=shift)
    assert HoursEntry.objects.count() == 1


@pytest.mark.parametrize("minutes", [0, -5, 24 * 60 + 1])
def test_minutes_between_one_and_a_day(s, minutes):
    with pytest.raises(ServiceError) as error:
        _log(s, minutes=minutes)
    assert "minutes" in error.value.field_errors()


def test_hours_are_not_logged_ahead(s):
    with pytest.raises(ServiceError) as error:
        _log(s, worked_on=timezone.localdate() + dt.timedelta(days=2))
    assert "worked_on" in error.value.field_errors()


def test_check_in_writes_the_shift_length_once(s):
    shift = make_shift(s.role, hours=2.5)
    signup = sign_up(shift, s.member)
    entry = services.shift_check_in(signup=signup, actor=s.host)
    assert (entry.minutes, entry.source, entry.status) == (150, "check_in", "pending")
    assert services.shift_check_in(signup=signup, actor=s.host) == entry
    assert HoursEntry.objects.count() == 1
    assert Activity.objects.filter(verb="hours.checked_in").count() == 1


def test_only_coordinators_check_in(s):
    signup = sign_up(make_shift(s.role), UserFactory())
    with pytest.raises(NotAllowed):
        services.shift_check_in(signup=signup, actor=s.member)


def test_check_in_opens_an_hour_before_the_shift(s):
    signup = sign_up(make_shift(s.role, days_ago=-1), s.member)
    with pytest.raises(ServiceError):
        services.shift_check_in(signup=signup, actor=s.organizer)


def test_a_shift_just_after_midnight_is_checked_in_on_the_eve_of_its_date(s):
    """Check-in opens an hour before the start, so a shift at 00:10 is checked in at 23:40 the
    day before; its hours are for the shift's own date."""
    eve = dt.datetime(2026, 12, 1, 23, 40, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(eve, tick=False):
        shift = make_shift(s.role, days_ago=0, hours=2, starts_at_offset=dt.timedelta(minutes=30))
        signup = sign_up(shift, s.member)
        entry = services.shift_check_in(signup=signup, actor=s.organizer)
        assert entry.worked_on == dt.date(2026, 12, 2)
        with pytest.raises(ServiceError) as error:
            _log(s, worked_on=dt.date(2026, 12, 2))
    assert "worked_on" in error.value.field_errors()


def test_check_in_after_the_volunteer_logged_returns_their_entry(s):
    shift = make_shift(s.role)
    signup = sign_up(shift, s.member)
    logged = _log(s, shift=shift)
    assert services.shift_check_in(signup=signup, actor=s.organizer) == logged


def test_coordinator_verifies_and_the_volunteer_is_told(s, django_capture_on_commit_callbacks):
    entry = _log(s)
    services.hours_entry_verify(entry=entry, actor=s.host, note="Thanks!")
    entry.refresh_from_db()
    assert (entry.status, entry.reviewed_by, entry.review_note) == ("verified", s.host, "Thanks!")
    assert Notification.objects.filter(recipient=s.member, kind=HOURS_VERIFIED).exists()
    assert Activity.objects.filter(verb="hours.verified").count() == 1


def test_rejection_needs_a_note_and_tells_the_volunteer(s):
    entry = _log(s)
    with pytest.raises(ServiceError):
        services.hours_entry_reject(entry=entry, actor=s.organizer, note="  ")
    services.hours_entry_reject(entry=entry, actor=s.organizer, note="You were not on the rota.")
    assert Notification.objects.filter(recipient=s.member, kind=HOURS_REJECTED).exists()


def test_members_do_not_review(s):
    entry = _log(s, volunteer=s.host)
    with pytest.raises(NotAllowed):
        services.hours_entry_verify(entry=entry, actor=s.member)


def test_nobody_verifies_their_own_hours(s):
    entry = _log(s, volunteer=s.host)
    with pytest.raises(NotAllowed):
        services.hours_entry_verify(entry=entry, actor=s.host)
    services.hours_entry_verify(entry=entry, actor=s.organizer)


def test_hours_are_reviewed_once(s):
    entry = _log(s)
    services.hours_entry_verify(entry=entry, actor=s.host)
    stale = HoursEntry.objects.get(pk=entry.pk)
    with pytest.raises(ServiceError):
        services.hours_entry_reject(entry=stale, actor=s.organizer, note="No")
    assert HoursEntry.objects.get(pk=entry.pk).status == "verified"


def test_correction_appends_a_reversal_and_a_new_entry(s):
    entry = services.hours_entry_verify(entry=_log(s, minutes=240), actor=s.host)
    reversal, correction = services.hours_entry_correct(
        entry=entry, minutes=180, note="Left at noon", actor=s.organizer
    )
    entry.refresh_from_db()
    assert entry.minutes == 240
    assert entry.status == "verified"
    assert (reversal.minutes, reversal.reverses, reversal.status) == (-240, entry, "verified")
    assert (correction.minutes, correction.corrects, correction.source) == (
        180,
        entry,
        "correction",
    )
    total = sum(HoursEntry.objects.verified().values_list("minutes", flat=True))
    assert total == 180
    assert Activity.objects.filter(verb="hours.corrected").count() == 1


def test_a_void_correction_only_reverses(s):
    entry = services.hours_entry_verify(entry=_log(s), actor=s.host)
    _reversal, correction = services.hours_entry_correct(
        entry=entry, minutes=0, note="Never came", actor=s.organizer
    )
    assert correction is None
    assert sum(HoursEntry.objects.verified().values_list("minutes", flat=True)) == 0


def test_an_entry_is_corrected_once(s):
    entry = services.hours_entry_verify(entry=_log(s), actor=s.host)
    services.hours_entry_correct(entry=entry, minutes=60, note="Typo", actor=s.organizer)
    with pytest.raises(ServiceError):
        services.hours_entry_correct(entry=entry, minutes=30, note="Again", actor=s.organizer)


def test_pending_hours_are_reviewed_not_corrected(s):
    with pytest.raises(ServiceError):
        services.hours_entry_correct(entry=_log(s), minutes=60, note="x", actor=s.organizer)


def test_members_do_not_correct(s):
    entry = services.hours_entry_verify(entry=_log(s, volunteer=s.host), actor=s.organizer)
    with pytest.raises(NotAllowed):
        services.hours_entry_correct(entry=entry, minutes=1, note="x", actor=s.member)


def test_the_system_verifies(s):
    entry = services.hours_entry_verify(entry=_log(s), actor=Actor.system("demo data"))
    assert entry.status == "verified"
    assert entry.reviewed_by is None


@pytest.mark.parametrize(
    "change",
    [{"minutes": 1}, {"worked_on": dt.date(2020, 1, 1)}, {"volunteer_id": None}],
    ids=["minutes", "date", "volunteer"],
)
def test_the_database_refuses_to_edit_an_entry_in_place(s, change):
    entry = _log(s)
    if change.get("volunteer_id", 0) is None:
        change = {"volunteer_id": s.host.pk}
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursEntry.objects.filter(pk=entry.pk).update(**change)


def test_the_database_refuses_a_second_review(s):
    entry = services.hours_entry_verify(entry=_log(s), actor=s.host)
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursEntry.objects.filter(pk=entry.pk).update(status="rejected", review_note="no")


def test_the_database_refuses_positive_reversals(s):
    entry = services.hours_entry_verify(entry=_log(s), actor=s.host)
    with pytest.raises(IntegrityError), transaction.atomic():
        HoursEntry.objects.create(
            volunteer=s.member,
            project=s.project,
            worked_on=entry.worked_on,
            minutes=60,
            source="reversal",
            reverses=entry,
            status="verified",
            reviewed_at=timezone.now(),
        )
