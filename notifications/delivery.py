"""Delivery: claim due outbox rows in batches, render them, send them, mark them.

The beat task calls `notifications_dispatch_due` every minute. It claims due rows in batches
(`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already keeps
other writers out) with a lease and a fresh claim token, and queues one task per batch after
commit. That task sends the batch over one mail connection and marks the rows with a
conditional UPDATE on its own claim token. A worker that dies leaves its rows claimed; once
their lease expires, the next scan claims them again, so recovery never depends on the broker.
At most the batch that was in flight is sent twice, with the same Message-ID.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.languages import language_of
from notifications import registry
from notifications.models import Channel, Notification
from notifications.recipients import account_may_receive
from notifications.unsubscribe import unsubscribe_token

logger = logging.getLogger(__name__)

Status = Notification.Status


def batch_size() -> int:
    return getattr(settings, "NOTIFICATIONS_BATCH_SIZE", 500)


def lease_duration() -> dt.timedelta:
    # A send task renews a lease that is half gone when it starts; the default is twice the
    # task's hard time limit, so a live worker never loses its claim mid-send.
    return dt.timedelta(seconds=getattr(settings, "NOTIFICATIONS_LEASE_SECONDS", 600))


def max_attempts() -> int:
    return getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5)


def retry_delay(attempts: int) -> dt.timedelta:
    """Backoff after a failed attempt: 2, 4, 8... minutes, at most six hours."""
    return dt.timedelta(minutes=min(2**attempts, 360))


def leases_expire(*, now: dt.datetime) -> int:
    """Rows claimed by a worker that never finished go back to the queue (or fail for good
    once they have used every attempt)."""
    stale = Notification.objects.filter(status=Status.CLAIMED, lease_expires_at__lt=now)
    error = "The worker sending it stopped before it finished (lease expired)."
    stale.filter(attempts__gte=max_attempts()).update(
        status=Status.FAILED, claim_token=None, lease_expires_at=None, last_error=error
    )
    return stale.update(
        status=Status.PENDING, claim_token=None, lease_expires_at=None, last_error=error
    )


def batch_claim(*, now: dt.datetime, size: int) -> tuple[uuid.UUID, int]:
    """Claim up to `size` due rows for one batch in a single UPDATE; call inside a transaction."""
    token = uuid.uuid4()
    due = (
        Notification.objects.filter(status=Status.PENDING, send_at__lte=now)
        .order_by("send_at")
        .values("pk")[:size]
    )
    if connection.features.has_select_for_update_skip_locked:
        due = due.select_for_update(skip_locked=True)
    claimed = Notification.objects.filter(pk__in=due).update(
        status=Status.CLAIMED,
        claim_token=token,
        lease_expires_at=now + lease_duration(),
        attempts=F("attempts") + 1,
    )
    return token, claimed


def _claim_transaction():
    # PostgreSQL needs a transaction around FOR UPDATE. On SQLite the single UPDATE is atomic
    # by itself and takes the write lock; an explicit BEGIN IMMEDIATE would add a round trip.
    if connection.features.has_select_for_update:
        return transaction.atomic()
    return contextlib.nullcontext()


def notifications_dispatch_due(
    *,
    send_batch: Callable[[str], object],
    now: dt.datetime | None = None,
    max_batches: int | None = None,
) -> int:
    """Claim every due row in batches and hand each batch's claim token to `send_batch` after
    commit (the task module passes a function that queues the send task, so delivery never
    imports the tasks). Returns how many rows were claimed."""
    now = now or timezone.now()
    size = batch_size()
    max_batches = max_batches or getattr(settings, "NOTIFICATIONS_MAX_BATCHES_PER_SCAN", 1000)
    leases_expire(now=now)
    total = 0
    for _ in range(max_batches):
        with _claim_transaction():
            token, claimed = batch_claim(now=now, size=size)
            if claimed:
                transaction.on_commit(lambda t=str(token): send_batch(t))
        total += claimed
        if claimed < size:
            break
    return total


def _absolute(url: str) -> str:
    return url if "://" in url else f"{settings.SITE_URL}{url}"


def email_build(
    *, notification: Notification, rendered: registry.Rendered, kind
) -> EmailMultiAlternatives:
    """The email for one row: plain text and HTML, unsubscribe headers, stable Message-ID."""
    unsubscribe_url = _absolute(
        reverse(
            "notifications:unsubscribe",
            kwargs={"token": unsubscribe_token(user=notification.recipient, kind=kind.key)},
        )
    )
    context = {
        **rendered.context,
        "recipient": notification.recipient,
        "subject": rendered.subject,
        "url": _absolute(rendered.url) if rendered.url else "",  # none: the page is gone
        "kind_label": kind.label,
        "unsubscribe_url": unsubscribe_url,
        "preferences_url": _absolute(reverse("notifications:preferences")),
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=render_to_string(f"{rendered.template}.txt", context),
        to=[notification.recipient.email],
        headers={
            "Message-ID": notification.message_id,
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"{rendered.template}.html", context), "text/html")
    for filename, content, mimetype in rendered.attachments:
        message.attach(filename, content, mimetype)
    return message


def rows_render(
    rows: list[Notification], *, delivering: bool
) -> tuple[dict[int, registry.Rendered | None], dict[int, str]]:
    """Render rows kind by kind (one renderer call per kind, so it can load its subjects in
    one query); when a kind's batch fails, its rows are rendered one by one so only the row
    at fault fails. Returns rendered messages (None: no longer valid) and errors per row."""
    by_kind: dict[str, list[Notification]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    rendered: dict[int, registry.Rendered | None] = {}
    errors: dict[int, str] = {}
    for key, kind_rows in by_kind.items():
        kind = registry.get(key)
        if kind is None:
            errors.update({r.pk: f"Unknown notification kind {key!r}." for r in kind_rows})
            continue
        try:
            rendered.update(kind.render(kind_rows, delivering=delivering))
            continue
        except Exception as exc:
            if len(kind_rows) == 1:
                logger.exception("Rendering notification %s failed", kind_rows[0].pk)
                errors[kind_rows[0].pk] = f"Rendering failed: {exc!r}"
                continue
            logger.warning("Rendering %s notifications as a batch failed: %r", key, exc)
        for row in kind_rows:
            try:
                rendered.update(kind.render([row], delivering=delivering))
            except Exception as exc:
                logger.exception("Rendering notification %s failed", row.pk)
                errors[row.pk] = f"Rendering failed: {exc!r}"
    return rendered, errors


def _rows_fail(rows: list[Notification], errors: dict[int, str], *, token, now) -> None:
    """Failed rows go back to the queue with a backoff, or fail for good after the last try."""
    for row in rows:
        error = errors[row.pk][:2000]
        mine = Notification.objects.filter(pk=row.pk, claim_token=token, status=Status.CLAIMED)
        if row.attempts >= max_attempts():
            mine.update(
                status=Status.FAILED, last_error=error, lease_expires_at=None, claim_token=None
            )
        else:
            mine.update(
                status=Status.PENDING,
                send_at=now + retry_delay(row.attempts),
                last_error=error,
                lease_expires_at=None,
                claim_token=None,
            )


def notification_batch_send(*, claim_token: str) -> dict[str, int]:
    """Render and deliver one claimed batch over one mail connection, then mark the rows.
    Safe to run twice: only rows still claimed with this token are touched."""
    token = uuid.UUID(str(claim_token))
    rows = list(
        Notification.objects.filter(claim_token=token, status=Status.CLAIMED)
        .select_related("recipient")
        .order_by("send_at", "pk")
    )
    if not rows:
        return {"sent": 0, "cancelled": 0, "failed": 0}
    mine = Notification.objects.filter(claim_token=token, status=Status.CLAIMED)
    started = timezone.now()
    if rows[0].lease_expires_at - started < lease_duration() / 2:
        # The batch waited in the queue: renew the lease so no scan takes it back mid-send.
        mine.update(lease_expires_at=started + lease_duration())
    live = [r for r in rows if account_may_receive(r.recipient)]
    live_ids = {r.pk for r in live}
    cancelled = [r.pk for r in rows if r.pk not in live_ids]
    sent: list[int] = []
    outgoing: list[tuple[Notification, EmailMultiAlternatives]] = []
    errors: dict[int, str] = {}
    # Each recipient reads their notices in their own language: rows are rendered and their
    # emails built language by language, so a renderer still loads a batch in one go.
    by_language: dict[str, list[Notification]] = defaultdict(list)
    for row in live:
        by_language[language_of(row.recipient)].append(row)
    for language, language_rows in sorted(by_language.items()):
        with translation.override(language):
            rendered, language_errors = rows_render(language_rows, delivering=True)
            errors.update(language_errors)
            for row in language_rows:
                if row.pk in errors:
                    continue
                message = rendered.get(row.pk)
                if message is None:
                    cancelled.append(row.pk)
                elif row.channel == Channel.INBOX:
                    sent.append(row.pk)  # the inbox shows it from now on
                else:
                    try:
                        outgoing.append(
                            (
                                row,
                                email_build(
                                    notification=row,
                                    rendered=message,
                                    kind=registry.get(row.kind),
                                ),
                            )
                        )
                    except Exception as exc:
                        logger.exception("Building email for notification %s failed", row.pk)
                        errors[row.pk] = f"Building the email failed: {exc!r}"
    unsent: list[int] = []
    if outgoing:
        mail = get_connection(fail_silently=False)
        try:
            mail.open()
            for position, (row, message) in enumerate(outgoing):
                try:
                    mail.send_messages([message])
                    sent.append(row.pk)
                except SoftTimeLimitExceeded:
                    unsent.extend(r.pk for r, _ in outgoing[position:])
                    break
                except Exception as exc:
                    logger.warning("Sending notification %s failed: %r", row.pk, exc)
                    errors[row.pk] = f"Sending failed: {exc!r}"
        except SoftTimeLimitExceeded:
            unsent.extend(r.pk for r, _ in outgoing if r.pk not in sent and r.pk not in errors)
        except Exception as exc:
            logger.warning("Opening the mail connection failed: %r", exc)
            for row, _ in outgoing:
                errors.setdefault(row.pk, f"Mail connection failed: {exc!r}")
        finally:
            mail.close()
    now = timezone.now()
    if sent:
        mine.filter(pk__in=sent).update(status=Status.SENT, sent_at=now, lease_expires_at=None)
    if cancelled:
        mine.filter(pk__in=cancelled).update(status=Status.CANCELLED, lease_expires_at=None)
    if unsent:
        # Ran out of time, not the message's fault: straight back to the queue.
        mine.filter(pk__in=unsent).update(
            status=Status.PENDING,
            claim_token=None,
            lease_expires_at=None,
            attempts=F("attempts") - 1,
        )
    if errors:
        _rows_fail([r for r in rows if r.pk in errors], errors, token=token, now=now)
    return {"sent": len(sent), "cancelled": len(cancelled), "failed": len(errors)}
