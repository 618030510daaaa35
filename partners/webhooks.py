"""Webhooks: the catalogue, the outbox rows written when a partner's own events change, and
delivery signed by the Standard Webhooks scheme (`standardwebhooks`).

Like the notifications outbox, nothing waits in the broker: a beat task claims due rows in
batches with one UPDATE (FOR UPDATE SKIP LOCKED on PostgreSQL) under a lease and a claim token,
queues one send task per batch after commit, and rows whose lease ran out (a worker died) go back
to the queue. A failed attempt is retried with exponential backoff for about a day; after
WEBHOOK_DISABLE_AFTER failures in a row the endpoint is switched off."""

import contextlib
import datetime as dt
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from standardwebhooks import Webhook

from core.refs import parse_ref
from events.models import Rsvp
from partners.models import WebhookDelivery, WebhookEndpoint
from volunteering.models import HoursEntry, ShiftSignup

# The declared, versioned catalogue of event types (v1).
CATALOGUE = {
    "event.created": "An event of one of your groups was created.",
    "event.updated": "An event of one of your groups changed.",
    "event.cancelled": "An event of one of your groups was cancelled.",
    "rsvp.created": "Someone is going to, or joined the waitlist of, one of your events.",
    "rsvp.cancelled": "Someone going to or waiting for one of your events is no longer.",
    "signup.created": "A volunteer signed up for, or joined the waitlist of, one of your shifts.",
    "signup.cancelled": "A volunteer withdrew, or was withdrawn, from one of your shifts.",
    "hours.verified": "A coordinator verified hours worked on one of your projects.",
}
CATALOGUE_VERSION = "1"
# The activity log's verbs the catalogue's types are built from.
FROM_ACTIVITY = {
    "event.created": "event.created",
    "event.updated": "event.updated",
    "event.cancelled": "event.cancelled",
    "shift_signup.created": "signup.created",
    "shift_signup.withdrawn": "signup.cancelled",
    "hours.verified": "hours.verified",
}
# An attendee's own RSVP writes no activity row (the log holds what organizers and the system
# change), so the RSVP types are built from the events app's announcements.
FROM_BUS = {"rsvp.created": "rsvp.created", "rsvp.cancelled": "rsvp.cancelled"}
BATCH_SIZE = 100
LEASE = dt.timedelta(minutes=5)
TIMEOUT_SECONDS = 10
# 1, 2, 4 ... 256 minutes, then every 6 hours: about a day over MAX_ATTEMPTS.
MAX_ATTEMPTS = 12
WEBHOOK_DISABLE_AFTER = 50
Status = WebhookDelivery.Status


def retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 360))


def deliveries_write(
    *, organization_id: int, event_type: str, data: dict, extra: dict | None = None
) -> int:
    """One outbox row per active endpoint of the organization subscribed to `event_type`,
    inside the caller's transaction. Returns how many."""
    now = timezone.now()
    payload = {"type": event_type, "timestamp": now.isoformat(), "data": data, **(extra or {})}
    rows = [
        WebhookDelivery(
            endpoint=endpoint,
            message_id=f"msg_{uuid.uuid4().hex}",
            event_type=event_type,
            payload=payload,
            next_attempt_at=now,
        )
        for endpoint in WebhookEndpoint.objects.filter(
            organization_id=organization_id, is_active=True
        )
        if event_type in endpoint.event_types
    ]
    WebhookDelivery.objects.bulk_create(rows)
    return len(rows)


def _listening_owner(group_id: int | None, event_type: str) -> int | None:
    """The partner organization that owns the group, when one of its active endpoints takes
    `event_type`; None otherwise (another organization's objects are never theirs to hear).
    One query, on every change the catalogue names."""
    if group_id is None:
        return None
    endpoints = WebhookEndpoint.objects.filter(
        is_active=True, organization__group_links__group_id=group_id
    ).values_list("organization_id", "event_types")
    for organization_id, types in endpoints:
        if event_type in types:
            return organization_id
    return None


def snapshot(event_type: str, pk: int, group_id: int) -> dict | None:
    """The object the type is about, as the API shows it to its own organization (the read
    path's selectors and representations), now: at the change, in its transaction."""
    from partners import selectors
    from partners.api import representations as shape

    own = frozenset({group_id})
    if event_type.startswith("event."):
        return shape.event_data(selectors.api_event_row(group_ids=own, pk=pk), own=True)
    if event_type.startswith("rsvp."):
        rsvp = Rsvp.objects.select_related("user").get(pk=pk)
        event = selectors.api_event_row(group_ids=own, pk=rsvp.event_id)
        return {**shape.rsvp_data(rsvp), "event": shape.event_data(event, own=True)}
    if event_type.startswith("signup."):
        signup = ShiftSignup.objects.select_related("user").get(pk=pk)
        shift = selectors.api_shift_row(group_ids=own, pk=signup.shift_id)
        return {**shape.signup_data(signup), "shift": shape.shift_data(shift, own=True)}
    if event_type == "hours.verified":
        entry = HoursEntry.objects.select_related("project", "volunteer").get(pk=pk)
        return shape.hours_data(entry)
    return None


def on_activity_recorded(*, activity, **_payload) -> None:
    """Bus subscriber (core.activity): an activity row whose verb the catalogue announces
    becomes one delivery per subscribed endpoint of the organization owning its group."""
    event_type = FROM_ACTIVITY.get(activity.verb)
    if event_type is None:
        return
    owner = _listening_owner(activity.group_id, event_type)
    parsed = parse_ref(activity.subject)
    if owner is None or parsed is None:
        return
    data = snapshot(event_type, parsed[1], activity.group_id)
    if data is None:
        return
    extra = {"activity_id": activity.pk}
    if event_type == "event.updated":
        extra["changed"] = sorted(activity.data)
    deliveries_write(organization_id=owner, event_type=event_type, data=data, extra=extra)


def on_rsvp_changed(*, topic: str, rsvp, **_payload) -> None:
    """Bus subscriber (events): an RSVP going, waiting or given up, for the owning partner."""
    event_type = FROM_BUS[topic]
    group_id = rsvp.event.group_id  # the service hands the RSVP over with its event
    owner = _listening_owner(group_id, event_type)
    if owner is not None:
        data = snapshot(event_type, rsvp.pk, group_id)
        deliveries_write(organization_id=owner, event_type=event_type, data=data)


def _claim_transaction():
    if connection.features.has_select_for_update:
        return transaction.atomic()
    return contextlib.nullcontext()


def leases_expire(*, now: dt.datetime) -> int:
    """Rows a worker claimed and never finished go back to the queue."""
    return WebhookDelivery.objects.filter(status=Status.CLAIMED, lease_expires_at__lt=now).update(
        status=Status.PENDING,
        claim_token=None,
        lease_expires_at=None,
        last_error="The worker sending it stopped before it finished (lease expired).",
    )


def deliveries_dispatch(*, send_batch: Callable[[str], object], now=None) -> int:
    """Claim due rows in batches and hand each batch's claim token to `send_batch` after
    commit. Returns how many rows were claimed."""
    now = now or timezone.now()
    leases_expire(now=now)
    total = 0
    while True:
        with _claim_transaction():
            token = uuid.uuid4()
            due = (
                WebhookDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "pk")
                .values("pk")[:BATCH_SIZE]
            )
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            claimed = WebhookDelivery.objects.filter(pk__in=due).update(
                status=Status.CLAIMED,
                claim_token=token,
                lease_expires_at=now + LEASE,
                attempts=F("attempts") + 1,
            )
            if claimed:
                transaction.on_commit(lambda t=str(token): send_batch(t))
        total += claimed
        if claimed < BATCH_SIZE:
            return total


def signature_headers(endpoint: WebhookEndpoint, *, message_id: str, body: str, now) -> dict:
    """webhook-id, webhook-timestamp and webhook-signature (with the previous secret's
    signature too while a rotation overlaps)."""
    signatures = [Webhook(endpoint.secret).sign(message_id, now, body)]
    if endpoint.previous_secret and (
        endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now
    ):
        signatures.append(Webhook(endpoint.previous_secret).sign(message_id, now, body))
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": " ".join(signatures),
        "Content-Type": "application/json",
        "User-Agent": "Connect-Webhooks/1",
    }


def _post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - URL checked by WebhookEndpoint.clean
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def batch_send(*, claim_token: str) -> dict[str, int]:
    """Send the claimed rows of one batch; each is marked (conditional on the claim token) sent,
    or back to the queue with backoff, or failed for good."""
    token = uuid.UUID(str(claim_token))
    mine = WebhookDelivery.objects.filter(claim_token=token, status=Status.CLAIMED)
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for row in mine.select_related("endpoint").order_by("pk"):
        now = timezone.now()
        body = json.dumps(row.payload, separators=(",", ":"), sort_keys=True)
        headers = signature_headers(row.endpoint, message_id=row.message_id, body=body, now=now)
        started = time.monotonic()
        error = ""
        try:
            code = _post(row.endpoint.url, body.encode(), headers)
        except (OSError, ValueError) as exc:
            code, error = None, str(exc)[:500]
        latency = int((time.monotonic() - started) * 1000)
        this = mine.filter(pk=row.pk)
        if code is not None and 200 <= code < 300:
            this.update(
                status=Status.SENT,
                sent_at=timezone.now(),
                last_status_code=code,
                last_latency_ms=latency,
                last_error="",
                claim_token=None,
                lease_expires_at=None,
            )
            WebhookEndpoint.objects.filter(pk=row.endpoint_id).update(consecutive_failures=0)
            counts["sent"] += 1
            continue
        give_up = row.attempts >= MAX_ATTEMPTS
        this.update(
            status=Status.FAILED if give_up else Status.PENDING,
            next_attempt_at=timezone.now() + retry_delay(row.attempts),
            last_status_code=code,
            last_latency_ms=latency,
            last_error=error or f"HTTP {code}",
            claim_token=None,
            lease_expires_at=None,
        )
        WebhookEndpoint.objects.filter(pk=row.endpoint_id).update(
            consecutive_failures=F("consecutive_failures") + 1
        )
        switched_off = WebhookEndpoint.objects.filter(
            pk=row.endpoint_id, is_active=True, consecutive_failures__gte=_disable_after()
        ).update(is_active=False)
        if switched_off:
            from partners.notifications import on_webhook_endpoint_disabled

            on_webhook_endpoint_disabled(
                endpoint=WebhookEndpoint.objects.select_related("organization").get(
                    pk=row.endpoint_id
                )
            )
        counts["failed" if give_up else "retry"] += 1
    return counts


def redeliver(*, deliveries) -> int:
    """Queue sent or failed deliveries again (same message id, so receivers can dedupe)."""
    return deliveries.exclude(status=Status.CLAIMED).update(
        status=Status.PENDING, next_attempt_at=timezone.now(), attempts=0
    )


def _disable_after() -> int:
    return getattr(settings, "PARTNER_WEBHOOKS_DISABLE_AFTER", WEBHOOK_DISABLE_AFTER)


def connect() -> None:
    from core import bus
    from core.activity import ACTIVITY_RECORDED

    bus.subscribe(ACTIVITY_RECORDED, on_activity_recorded)
    for topic in FROM_BUS:
        bus.subscribe(topic, on_rsvp_changed)
