"""Reminders delivered by a real Celery worker and beat, through the real broker (Redis when
REDIS_URL is set, else the filesystem transport), into a mail folder this test reads."""

import datetime as dt
import email
import email.policy
import time

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.models import User
from events import notifications as event_notices
from events.models import Event, Rsvp
from events.services import rsvp_create
from groups.models import Group, Membership
from notifications.models import Channel, Notification
from tests.factories import EventFactory, GroupFactory, MembershipFactory
from tests.integration.mail import messages_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

Status = Notification.Status


def wait_for(condition, *, timeout: float, message: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(message)


def parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def test_worker_and_beat_send_a_reminder_on_time(celery_worker, mail_dir):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    member = MembershipFactory(group=group).user
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(hours=2, seconds=4)
    event = EventFactory(
        group=group, timezone="Europe/Berlin", starts_at=starts, ends_at=starts + dt.timedelta(1)
    )
    rsvp_create(event=event, user=member)  # writes the confirmation and the 2-hour reminder
    reminder = Notification.objects.get(kind=event_notices.REMINDER, channel=Channel.EMAIL)
    assert reminder.send_at == starts - dt.timedelta(hours=2)

    celery_worker()

    def reminder_mail():
        for raw in messages_in(mail_dir):
            message = parsed(raw)
            if message["Message-ID"] == reminder.message_id:
                return message
        return None

    message = wait_for(reminder_mail, timeout=60, message="No reminder came out of the worker.")
    assert message["To"] == member.email
    assert message["Subject"].startswith(f"Reminder: {event.title}")
    assert "Europe/Berlin" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT
    assert reminder.send_at <= reminder.sent_at < reminder.send_at + dt.timedelta(seconds=30)
    # The confirmation went out through the same worker, with the event attached.
    confirmation = next(parsed(raw) for raw in messages_in(mail_dir) if b"You're going" in raw)
    assert any(
        part.get_content_type() == "text/calendar" for part in confirmation.iter_attachments()
    )
    assert len(messages_in(mail_dir)) == 2


def due_reminders(count: int):
    """`count` members going to one event, each with a reminder due now (bulk, for speed)."""
    group = GroupFactory()
    event = EventFactory(group=group)
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"fault{i}@example.com", display_name=f"Member {i}", password=password)
        for i in range(count)
    )
    Membership.objects.bulk_create(Membership(group=group, user=u) for u in users)
    Rsvp.objects.bulk_create(Rsvp(event=event, user=u, status=Rsvp.Status.GOING) for u in users)
    Event.objects.filter(pk=event.pk).update(seats_taken=count)  # one seat each, as RSVPs take
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=u,
            kind=event_notices.REMINDER,
            channel=Channel.EMAIL,
            subject=f"events.event:{event.pk}",
            send_at=now - dt.timedelta(seconds=1),
            lead_time=dt.timedelta(hours=2),
            context={"lead_minutes": 120},
            dedupe_key=f"fault:{u.pk}",
        )
        for u in users
    )


def test_worker_killed_mid_batch_loses_nothing_and_resends_only_what_was_in_flight(
    celery_worker, mail_dir
):
    total, batch = 1000, 200
    due_reminders(total)
    settings = {
        "CONNECT_TEST_BATCH_SIZE": batch,
        # After the kill the test waits out the lease of the batches in flight. A send task's
        # time limit is half of it (10 s here, 8 s soft): a batch of 200 takes about 3 s on a
        # busy two-core machine.
        "CONNECT_TEST_LEASE_SECONDS": 20,
        "CONNECT_TEST_MAIL_DELAY": 0.004,
    }

    first = celery_worker(**settings)
    wait_for(
        lambda: len(messages_in(mail_dir)) >= batch // 2,
        timeout=90,
        message="The first worker sent nothing.",
    )
    first.kill()

    claimed = set(
        Notification.objects.filter(status=Status.CLAIMED).values_list("message_id", flat=True)
    )
    mailed = {parsed(raw)["Message-ID"] for raw in messages_in(mail_dir)}
    # In flight: sent by the dead worker but not yet marked sent (its batch was cut short).
    in_flight = claimed & mailed
    assert 0 < len(mailed) < total
    assert in_flight, "the kill must land while a batch is being sent"
    assert len(in_flight) <= 2 * batch  # two pool processes, one batch each

    celery_worker(**settings)
    wait_for(
        lambda: Notification.objects.filter(status=Status.SENT).count() == total,
        timeout=120,
        message="Not every reminder was delivered after the restart.",
    )

    ids = [parsed(raw)["Message-ID"] for raw in messages_in(mail_dir)]
    stored = set(Notification.objects.values_list("message_id", flat=True))
    assert set(ids) == stored  # none lost, and a re-send keeps the row's Message-ID
    duplicates = len(ids) - len(set(ids))
    print(f"\nduplicates after SIGKILL: {duplicates} (in flight at the kill: {len(in_flight)})")
    assert duplicates <= len(in_flight)
    resent = {message_id for message_id in ids if ids.count(message_id) > 1}
    assert resent <= in_flight
    assert all(ids.count(message_id) == 2 for message_id in resent)
