"""Reminders across daylight-saving changes, and the weekly digest in the member's own zone."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core import mail

from events import notifications as event_notices
from events.services import rsvp_create
from groups.models import Group, Membership
from notifications import services
from notifications.models import Channel, Notification
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = dt.UTC


@pytest.mark.parametrize(
    ("local_start", "utc_start", "day_before_utc"),
    [
        # Clocks go forward at 02:00 that Sunday: 10:00 is CEST (UTC+2); the day before was CET.
        (dt.datetime(2025, 3, 30, 10, tzinfo=BERLIN), (2025, 3, 30, 8), (2025, 3, 29, 8)),
        # Clocks go back at 03:00 that Sunday: 10:00 is CET (UTC+1); the day before was CEST.
        (dt.datetime(2025, 10, 26, 10, tzinfo=BERLIN), (2025, 10, 26, 9), (2025, 10, 25, 9)),
    ],
)
def test_reminder_for_10_00_berlin_on_the_sunday_of_the_change_goes_out_at_the_right_instant(
    local_start, utc_start, day_before_utc, dispatch
):
    group = GroupFactory()
    member = MembershipFactory(group=group).user
    with time_machine.travel(local_start - dt.timedelta(days=10), tick=False):
        event = EventFactory(
            group=group,
            timezone="Europe/Berlin",
            starts_at=local_start,
            ends_at=local_start + dt.timedelta(hours=2),
        )
        rsvp_create(event=event, user=member)
    assert event.starts_at == dt.datetime(*utc_start, tzinfo=UTC)
    reminders = Notification.objects.filter(kind=event_notices.REMINDER, channel=Channel.EMAIL)
    two_hours = reminders.get(lead_time=dt.timedelta(hours=2))
    day = reminders.get(lead_time=dt.timedelta(hours=24))
    assert two_hours.send_at == dt.datetime(*utc_start, tzinfo=UTC) - dt.timedelta(hours=2)
    # 24 hours of real time before the start, whatever the wall clock did in between.
    assert day.send_at == dt.datetime(*day_before_utc, tzinfo=UTC)

    with time_machine.travel(two_hours.send_at - dt.timedelta(seconds=1), tick=False):
        dispatch()
    two_hours.refresh_from_db()
    assert two_hours.status == Notification.Status.PENDING

    mail.outbox.clear()
    with time_machine.travel(two_hours.send_at, tick=False):
        dispatch()
    two_hours.refresh_from_db()
    assert two_hours.status == Notification.Status.SENT
    assert two_hours.sent_at == two_hours.send_at
    (message,) = mail.outbox
    assert "Sunday" in message.subject
    assert "10:00 (Europe/Berlin)" in message.subject
    assert "10:00 (Europe/Berlin)" in message.body


def opted_in_member(group, *, tz: str, weekday: int):
    user = MembershipFactory(group=group).user
    user.timezone = tz
    user.save()
    services.notification_preferences_set(
        user=user, choices={(event_notices.DIGEST, Channel.EMAIL): True}, digest_weekday=weekday
    )
    return user


def test_weekly_digest_goes_out_on_the_chosen_day_in_the_members_zone(dispatch):
    group = GroupFactory()
    new_york = zoneinfo.ZoneInfo("America/New_York")
    wednesday_7_59 = dt.datetime(2025, 6, 4, 7, 59, tzinfo=new_york)
    with time_machine.travel(wednesday_7_59 - dt.timedelta(days=1), tick=False):
        member = opted_in_member(group, tz="America/New_York", weekday=2)
        MembershipFactory(group=group)  # not opted in
        event = EventFactory(group=group, starts_at=wednesday_7_59 + dt.timedelta(days=2))
        EventFactory(group=group, starts_at=wednesday_7_59 + dt.timedelta(days=9))  # next week

    with time_machine.travel(wednesday_7_59, tick=False):
        assert services.notification_digests_schedule() == 0
    with time_machine.travel(wednesday_7_59 + dt.timedelta(minutes=1), tick=False):
        services.notification_digests_schedule()
        services.notification_digests_schedule()
        dispatch()
    assert Notification.objects.filter(kind=event_notices.DIGEST).count() == 1
    (message,) = mail.outbox
    assert message.to == [member.email]
    assert message.subject == "Your week: 1 event in your groups"
    assert event.title in message.body

    with time_machine.travel(wednesday_7_59 + dt.timedelta(days=1, hours=2), tick=False):
        services.notification_digests_schedule()  # Thursday: nothing new
    with time_machine.travel(wednesday_7_59 + dt.timedelta(days=7, hours=2), tick=False):
        services.notification_digests_schedule()  # the next Wednesday: next week's digest
    assert Notification.objects.filter(kind=event_notices.DIGEST).count() == 2


def test_digest_with_nothing_on_is_not_sent(dispatch):
    group = GroupFactory()
    monday = dt.datetime(2025, 6, 2, 9, tzinfo=dt.UTC)
    with time_machine.travel(monday, tick=False):
        opted_in_member(group, tz="UTC", weekday=0)
        services.notification_digests_schedule()
        dispatch()
    assert mail.outbox == []
    assert Notification.objects.get().status == Notification.Status.CANCELLED


@pytest.mark.parametrize("status", [Membership.Status.BANNED, Membership.Status.PENDING])
def test_digest_leaves_out_private_groups_the_member_is_not_active_in(dispatch, status):
    monday = dt.datetime(2025, 6, 2, 9, tzinfo=UTC)
    with time_machine.travel(monday - dt.timedelta(days=1), tick=False):
        private = GroupFactory(visibility=Group.Visibility.PRIVATE)
        public = GroupFactory()
        member = UserFactory(timezone="UTC")
        MembershipFactory(group=private, user=member, status=status)
        MembershipFactory(group=public, user=member)
        services.notification_preferences_set(
            user=member, choices={(event_notices.DIGEST, Channel.EMAIL): True}, digest_weekday=0
        )
        in_two_days = monday + dt.timedelta(days=2)
        EventFactory(group=private, title="Secret meet", starts_at=in_two_days)
        EventFactory(group=public, title="Open meet", starts_at=in_two_days)
    with time_machine.travel(monday, tick=False):
        services.notification_digests_schedule()
        dispatch()
    (message,) = mail.outbox
    assert "Open meet" in message.body
    assert "Secret meet" not in message.body
    assert "Secret meet" not in message.alternatives[0][0]
