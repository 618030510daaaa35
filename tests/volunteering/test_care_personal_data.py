"""Care calendars in "download my data" and "delete my account", and reminders at the
member's own lead times."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.services import user_delete
from notifications.models import Notification
from notifications.services import notification_preferences_set
from tests.volunteering.care_setup import add_slot, coordinator_of, member, open_calendar
from volunteering import care_notifications as notices
from volunteering.care import services
from volunteering.care_models import CareCalendar, CareSignup, CareSlot

pytestmark = pytest.mark.django_db


def test_deleting_an_account_releases_its_coming_slots_through_the_service():
    calendar = open_calendar()
    coming, past = add_slot(calendar, days=2), add_slot(calendar, days=3)
    helper = member(calendar.group)
    services.care_slot_take(slot=coming, user=helper)
    old = services.care_slot_take(slot=past, user=helper)
    CareSlot.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() - dt.timedelta(days=1) + dt.timedelta(hours=1),
    )
    user_delete(user=helper)
    assert CareSignup.objects.get(slot=coming).status == CareSignup.Status.RELEASED
    assert CareSlot.objects.get(pk=coming.pk).seats_taken == 0
    assert CareSignup.objects.get(pk=old.pk).status == CareSignup.Status.CONFIRMED
    assert not Notification.objects.filter(
        recipient=helper, kind=notices.REMINDER, status="pending"
    ).exists()


def test_deleting_the_only_coordinator_closes_the_calendar():
    calendar = open_calendar()
    slot = add_slot(calendar)
    helper = member(calendar.group)
    signup = services.care_slot_take(slot=slot, user=helper)
    coordinator = coordinator_of(calendar)
    user_delete(user=coordinator)
    calendar.refresh_from_db()
    assert calendar.status == CareCalendar.Status.CLOSED
    assert not calendar.coordinators.exists()
    signup.refresh_from_db()
    assert signup.status == CareSignup.Status.CANCELLED


def test_reminders_follow_the_helpers_own_lead_times():
    calendar = open_calendar()
    slot = add_slot(calendar, days=5)
    helper = member(calendar.group)
    notification_preferences_set(user=helper, choices={}, reminder_offsets=[48 * 60, 60])
    services.care_slot_take(slot=slot, user=helper)
    leads = set(
        Notification.objects.filter(
            recipient=helper, kind=notices.REMINDER, status="pending"
        ).values_list("lead_time", flat=True)
    )
    assert leads == {dt.timedelta(hours=48), dt.timedelta(minutes=60)}
    notification_preferences_set(user=helper, choices={}, reminder_offsets=[24 * 60])
    leads = set(
        Notification.objects.filter(
            recipient=helper, kind=notices.REMINDER, status="pending"
        ).values_list("lead_time", flat=True)
    )
    assert leads == {dt.timedelta(hours=24)}


def test_moving_a_slot_moves_its_reminders():
    calendar = open_calendar()
    slot = add_slot(calendar, days=5)
    helper = member(calendar.group)
    services.care_slot_take(slot=slot, user=helper)
    new_start = slot.starts_at + dt.timedelta(days=1)
    services.care_slot_update(
        slot=slot,
        actor=coordinator_of(calendar),
        starts_at=new_start,
        ends_at=new_start + dt.timedelta(hours=1),
    )
    for row in Notification.objects.filter(
        recipient=helper, kind=notices.REMINDER, status="pending"
    ):
        assert row.send_at == new_start - row.lead_time
