"""Claiming due rows, sending them in batches, retries, leases and send-time checks."""

import datetime as dt
import email
import email.policy
import zoneinfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from core.capacity import seats_release
from events import notifications as event_notices
from events.models import Event
from events.services import rsvp_create
from groups.models import Group, Membership
from notifications import delivery, services, tasks
from notifications.models import Channel, Notification
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Notification.Status


def reminders_due(event, count):
    """`count` people going to `event`, each with a reminder (email) due now."""
    users = [MembershipFactory(group=event.group).user for _ in range(count)]
    for user in users:
        RsvpFactory(event=event, user=user)
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(
            recipient=user,
            kind=event_notices.REMINDER,
            channel=Channel.EMAIL,
            subject=f"events.event:{event.pk}",
            send_at=now - dt.timedelta(seconds=1),
            lead_time=dt.timedelta(hours=2),
            context={"lead_minutes": 120},
            dedupe_key=f"test:{event.pk}:{user.pk}",
        )
        for user in users
    )
    return users


def test_reminder_goes_out_once_at_its_time(event, member, dispatch):
    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[120])
    rsvp_create(event=event, user=member)
    reminder = Notification.objects.get(
        kind=event_notices.REMINDER, channel=Channel.EMAIL, lead_time=dt.timedelta(hours=2)
    )
    mail.outbox.clear()
    with time_machine.travel(reminder.send_at - dt.timedelta(seconds=1), tick=False):
        dispatch()
    assert not [m for m in mail.outbox if m.subject.startswith("Reminder")]

    with time_machine.travel(reminder.send_at, tick=False):
        dispatch()
        dispatch()
    sent = [m for m in mail.outbox if m.subject.startswith("Reminder")]
    assert len(sent) == 1
    assert sent[0].to == [member.email]
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT
    assert reminder.sent_at == reminder.send_at


def test_email_has_text_html_unsubscribe_headers_and_stable_message_id(event, member, dispatch):
    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[120])
    rsvp_create(event=event, user=member)
    reminder = Notification.objects.get(
        kind=event_notices.REMINDER, channel=Channel.EMAIL, lead_time=dt.timedelta(hours=2)
    )
    with time_machine.travel(reminder.send_at, tick=False):
        dispatch()
    message = next(m for m in mail.outbox if m.subject.startswith("Reminder"))
    parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
    assert parsed["Message-ID"] == reminder.message_id
    unsubscribe = str(parsed["List-Unsubscribe"]).strip()  # may be folded onto its own line
    assert unsubscribe.startswith("<http")
    assert unsubscribe.endswith(">")
    assert "/notifications/unsubscribe/" in unsubscribe
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    local = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.timezone))
    assert f"{local:%H:%M} (Europe/London)" in message.body
    assert event.address in message.body  # people going see where
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert event.title in html
    assert "unsubscribe" in html.lower()


def test_confirmation_email_carries_the_event_as_ics(event, member, dispatch):
    rsvp_create(event=event, user=member)
    dispatch()
    confirmation = next(m for m in mail.outbox if m.subject.startswith("You're going"))
    (filename, content, mimetype) = confirmation.attachments[0]
    assert filename == f"{event.slug}.ics"
    assert mimetype.startswith("text/calendar")
    text = content.decode() if isinstance(content, bytes) else content
    assert "BEGIN:VEVENT" in text
    assert event.title in text
    inbox = Notification.objects.get(kind=event_notices.CONFIRMED, channel=Channel.INBOX)
    assert inbox.status == Status.SENT


def test_reminder_for_an_event_cancelled_meanwhile_is_not_sent(event, dispatch):
    users = reminders_due(event, 3)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    dispatch()
    assert mail.outbox == []
    assert set(
        Notification.objects.filter(recipient__in=users).values_list("status", flat=True)
    ) == {Status.CANCELLED}


def test_reminder_skipped_when_the_member_left_the_private_group(event, group, dispatch):
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    stayed, left = reminders_due(event, 2)
    Membership.objects.filter(group=group, user=left).delete()
    dispatch()
    assert [m.to for m in mail.outbox] == [[stayed.email]]
    assert Notification.objects.get(recipient=left).status == Status.CANCELLED


def test_reminder_skipped_when_the_rsvp_is_no_longer_going(event, dispatch):
    going, declined = reminders_due(event, 2)
    # Not going any more while its reminder still waits (the send-time re-check's case).
    event.rsvps.filter(user=declined).update(status="not_going")
    seats_release(model=Event, pk=event.pk, seats=1)
    dispatch()
    assert [m.to for m in mail.outbox] == [[going.email]]


def test_refused_mail_is_retried_with_backoff_then_fails_with_the_error(event, dispatch, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.RefusingBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    reminders_due(event, 1)
    row = Notification.objects.get()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        dispatch()
    row.refresh_from_db()
    assert row.status == Status.PENDING
    assert row.attempts == 1
    assert row.send_at == start + delivery.retry_delay(1)
    assert "451" in row.last_error

    with time_machine.travel(row.send_at - dt.timedelta(seconds=1), tick=False):
        assert dispatch() == 0  # not before its backoff
    for _ in range(2):
        row.refresh_from_db()
        with time_machine.travel(row.send_at, tick=False):
            dispatch()
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert row.attempts == 3
    assert "Try again later" in row.last_error


def test_unreachable_mail_server_puts_the_whole_batch_back(event, dispatch, settings):
    settings.EMAIL_BACKEND = "tests.notifications.failing_mail.UnreachableBackend"
    reminders_due(event, 4)
    dispatch()
    assert set(Notification.objects.values_list("status", "attempts")) == {(Status.PENDING, 1)}
    assert "Connection refused" in Notification.objects.first().last_error


def test_expired_lease_is_claimed_again_and_the_dead_claim_sends_nothing(event, dispatch):
    reminders_due(event, 3)
    dead_token, claimed = delivery.batch_claim(now=timezone.now(), size=500)
    assert claimed == 3
    assert dispatch() == 0  # still leased to the worker that died

    with time_machine.travel(timezone.now() + delivery.lease_duration() + dt.timedelta(1)):
        assert dispatch() == 3
    assert len(mail.outbox) == 3
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
    # The dead worker's message, delivered late by the broker, finds nothing left to send.
    assert delivery.notification_batch_send(claim_token=str(dead_token))["sent"] == 0
    assert len(mail.outbox) == 3


def test_sending_a_batch_twice_sends_once(event):
    reminders_due(event, 2)
    token, _count = delivery.batch_claim(now=timezone.now(), size=500)
    delivery.notification_batch_send(claim_token=str(token))
    delivery.notification_batch_send(claim_token=str(token))
    assert len(mail.outbox) == 2


def test_rows_are_claimed_in_batches_one_task_each(
    event, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_BATCH_SIZE = 5
    Event.objects.filter(pk=event.pk).update(capacity=None)
    reminders_due(event, 12)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tasks.notifications_dispatch_due_task() == 12
    assert len(callbacks) == 3  # 5 + 5 + 2: one broker message per batch
    assert Notification.objects.filter(status=Status.CLAIMED).count() == 12


@pytest.mark.parametrize("count", [3, 40])
def test_sending_a_batch_costs_the_same_queries_for_3_or_40(
    event, count, django_assert_num_queries
):
    Event.objects.filter(pk=event.pk).update(capacity=None)
    reminders_due(event, count)
    token, _claimed = delivery.batch_claim(now=timezone.now(), size=500)
    # Load the batch, load RSVPs with event, group and membership, mark sent.
    with django_assert_num_queries(3):
        delivery.notification_batch_send(claim_token=str(token))
    assert len(mail.outbox) == count


def test_one_mail_connection_per_batch(event, settings, monkeypatch):
    opened = []
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.open
    monkeypatch.setattr(EmailBackend, "open", lambda self: opened.append(self) or original(self))
    reminders_due(event, 5)
    token, _claimed = delivery.batch_claim(now=timezone.now(), size=500)
    delivery.notification_batch_send(claim_token=str(token))
    assert len(opened) == 1
    assert len(mail.outbox) == 5


def test_deactivated_recipient_gets_nothing(event, dispatch):
    (user,) = reminders_due(event, 1)
    user.is_active = False
    user.save()
    dispatch()
    assert mail.outbox == []
    assert Notification.objects.get().status == Status.CANCELLED


def test_cancellation_email_carries_the_organizers_message(group, event, dispatch):
    from events.services import event_cancel

    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    going = MembershipFactory(group=group).user
    rsvp_create(event=event, user=going)
    mail.outbox.clear()
    event_cancel(event=event, actor=organizer, message="The hall <flooded>.")
    dispatch()
    (message,) = [m for m in mail.outbox if m.subject.startswith("Cancelled")]
    assert message.to == [going.email]
    assert "The hall <flooded>." in message.body
    assert "The hall &lt;flooded&gt;." in message.alternatives[0][0]


def test_waitlisted_person_never_sees_the_address_in_the_cancellation(group, event, dispatch):
    from events.services import event_cancel

    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    event.capacity = 1
    event.save()
    rsvp_create(event=event, user=MembershipFactory(group=group).user)
    waiting = MembershipFactory(group=group).user
    rsvp_create(event=event, user=waiting)
    mail.outbox.clear()
    event_cancel(event=event, actor=organizer)
    dispatch()
    message = next(m for m in mail.outbox if m.to == [waiting.email])
    assert event.address not in message.body
    assert event.address not in message.alternatives[0][0]


def test_unknown_kind_fails_with_the_reason(dispatch):
    Notification.objects.create(
        recipient=UserFactory(),
        kind="nobody.knows",
        channel=Channel.EMAIL,
        subject="x:1",
        send_at=timezone.now(),
        dedupe_key="unknown",
    )
    dispatch()
    row = Notification.objects.get()
    assert row.status == Status.PENDING
    assert "Unknown notification kind" in row.last_error


def test_new_event_notice_is_sent_while_still_a_member(group, dispatch):
    member = MembershipFactory(group=group).user
    gone = MembershipFactory(group=group).user
    event = EventFactory(group=group)
    for user in (member, gone):
        Notification.objects.create(
            recipient=user,
            kind=event_notices.CREATED,
            channel=Channel.EMAIL,
            subject=f"events.event:{event.pk}",
            send_at=timezone.now(),
            dedupe_key=f"created:{user.pk}",
        )
    Membership.objects.filter(user=gone).delete()
    dispatch()
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert mail.outbox[0].subject.startswith(f"New in {group.name}")


def test_a_batch_that_waited_in_the_queue_renews_its_lease(event, settings, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    settings.NOTIFICATIONS_LEASE_SECONDS = 600
    reminders_due(event, 2)
    claimed_at = timezone.now()
    token, _claimed = delivery.batch_claim(now=claimed_at, size=500)
    leases_while_sending = []
    original = EmailBackend.send_messages

    def send_messages(self, messages):
        leases_while_sending.extend(Notification.objects.values_list("lease_expires_at", flat=True))
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    started = claimed_at + dt.timedelta(seconds=400)  # two thirds of the lease spent waiting
    with time_machine.travel(started, tick=False):
        delivery.notification_batch_send(claim_token=str(token))
    assert set(leases_while_sending) == {started + dt.timedelta(seconds=600)}
    assert len(mail.outbox) == 2


def test_a_lease_shorter_than_two_task_time_limits_is_flagged(settings):
    from notifications.checks import lease_outlasts_a_send

    settings.CELERY_TASK_TIME_LIMIT = 300
    settings.NOTIFICATIONS_LEASE_SECONDS = 600
    assert lease_outlasts_a_send(None) == []
    settings.NOTIFICATIONS_LEASE_SECONDS = 400
    assert [w.id for w in lease_outlasts_a_send(None)] == ["notifications.W001"]


def test_one_row_that_cannot_be_rendered_fails_alone(event, dispatch):
    users = reminders_due(event, 3)
    bad = Notification.objects.get(recipient=users[1])
    bad.context = {"lead_minutes": "soon"}  # odd data the renderer cannot format
    bad.save()
    dispatch()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([users[0].email, users[2].email])
    statuses = dict(Notification.objects.values_list("recipient", "status"))
    assert statuses == {
        users[0].pk: Status.SENT,
        users[1].pk: Status.PENDING,
        users[2].pk: Status.SENT,
    }
    bad.refresh_from_db()
    assert bad.attempts == 1
    assert "Rendering failed" in bad.last_error


@pytest.mark.parametrize("status", [Membership.Status.BANNED, Membership.Status.PENDING])
def test_new_event_notice_is_not_sent_once_banned_or_only_pending(group, dispatch, status):
    member = MembershipFactory(group=group).user
    other = MembershipFactory(group=group)
    event = EventFactory(group=group)
    for user in (member, other.user):
        Notification.objects.create(
            recipient=user,
            kind=event_notices.CREATED,
            channel=Channel.EMAIL,
            subject=f"events.event:{event.pk}",
            send_at=timezone.now(),
            dedupe_key=f"created:{user.pk}",
        )
    Membership.objects.filter(pk=other.pk).update(status=status)
    dispatch()
    assert [m.to for m in mail.outbox] == [[member.email]]


def test_new_event_notice_never_carries_the_address_or_link_to_someone_not_going(dispatch):
    from events.services import event_create

    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    member = MembershipFactory(group=group).user
    services.notification_preferences_set(
        user=member, choices={(event_notices.CREATED, Channel.EMAIL): True}
    )
    starts = timezone.now() + dt.timedelta(days=3)
    event_create(
        group=group,
        actor=organizer,
        title="New one",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=1),
        timezone="UTC",
        venue_name="Hall",
        address="9 Hidden Lane",
        online_url="https://secret.example/room",
        category=group.category,
    )
    dispatch()
    (message,) = [m for m in mail.outbox if m.to == [member.email]]
    body = message.body + message.alternatives[0][0]
    assert "Hall" in body
    assert "Hidden Lane" not in body
    assert "secret.example" not in body


@pytest.mark.parametrize("then", ["banned", "still_member"])
def test_youre_in_email_goes_only_while_the_membership_is_active(dispatch, then):
    from groups.services import membership_approve, membership_ban, membership_join

    group = GroupFactory(
        visibility=Group.Visibility.PRIVATE, listed_when_private=True, join_policy="approval"
    )
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    person = UserFactory()
    request = membership_join(group=group, actor=person, answer="I'd like to come")
    membership_approve(membership=request, actor=organizer)
    if then == "banned":
        membership_ban(membership=request, actor=organizer)
    dispatch()
    welcomed = [m for m in mail.outbox if m.to == [person.email]]
    assert len(welcomed) == (0 if then == "banned" else 1)
