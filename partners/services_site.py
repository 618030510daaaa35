"""The partners app's writes on the website: a partner's organizers run its API keys, webhook
endpoints and embed sites. Each takes the person as `actor`, checks
`permissions.can_manage_partner`, runs in a transaction and writes an activity row."""

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import activity
from core.exceptions import NotAllowed, ServiceError
from partners.models import (
    PartnerApiKey,
    PartnerOrganization,
    WebhookDelivery,
    WebhookEndpoint,
    new_webhook_secret,
)
from partners.permissions import can_manage_partner
from partners.services import (
    _clean,
    api_client_create,
    api_key_create,
    api_key_revoke,
    webhook_endpoint_save,
)
from partners.webhooks import redeliver

# Sent only by "send a test event" on the website, to whichever endpoint asked.
TEST_EVENT_TYPE = "webhook.test"


def _require_manager(actor, partner: PartnerOrganization) -> None:
    if not can_manage_partner(actor, partner):
        raise NotAllowed(_("Only the organizers of the partner's groups can do this."))


def partner_embed_origins_set(
    *, partner: PartnerOrganization, actor, embed_origins: str
) -> PartnerOrganization:
    """The sites (https origins, space-separated) allowed to frame the partner's embeds."""
    _require_manager(actor, partner)
    with transaction.atomic():
        before = partner.embed_origins
        partner.embed_origins = " ".join(embed_origins.split())
        try:
            _clean(partner)
        except ServiceError:
            partner.embed_origins = before
            raise
        partner.save(update_fields=["embed_origins", "updated_at"])
        activity.record(
            actor=actor,
            verb="partner.embed_origins_changed",
            subject=partner,
            data={"embed_origins": partner.embed_origin_list},
        )
        return partner


def partner_key_issue(
    *,
    partner: PartnerOrganization,
    actor,
    name: str,
    scopes: list[str],
    expires_at: dt.datetime | None = None,
) -> tuple[PartnerApiKey, str]:
    """A new integration of the partner with its scopes and its first key; the key itself is
    returned once (it is kept only as a hash)."""
    _require_manager(actor, partner)
    if expires_at is not None and expires_at <= timezone.now():
        raise ServiceError({"expires_at": _("Choose an expiry in the future.")})
    with transaction.atomic():
        client = api_client_create(partner=partner, name=name, scopes=scopes)
        api_key, key = api_key_create(client=client, name=name, expires_at=expires_at)
        activity.record(
            actor=actor,
            verb="partner.key_created",
            subject=partner,
            data={"prefix": api_key.prefix, "scopes": client.scopes},
        )
        return api_key, key


def partner_key_revoke(*, api_key: PartnerApiKey, actor) -> PartnerApiKey:
    """The key stops working at once, for good."""
    partner = api_key.client.organization
    _require_manager(actor, partner)
    with transaction.atomic():
        if not api_key.revoked:
            api_key_revoke(api_key=api_key)
            activity.record(
                actor=actor,
                verb="partner.key_revoked",
                subject=partner,
                data={"prefix": api_key.prefix},
            )
        return api_key


def webhook_endpoint_create(
    *, partner: PartnerOrganization, actor, url: str, event_types: list[str]
) -> WebhookEndpoint:
    """Register an https endpoint for event types of the catalogue; its secret is new."""
    _require_manager(actor, partner)
    with transaction.atomic():
        endpoint = webhook_endpoint_save(
            endpoint=WebhookEndpoint(organization=partner, url=url, event_types=event_types)
        )
        activity.record(
            actor=actor,
            verb="partner.webhook_created",
            subject=endpoint,
            data={"event_types": endpoint.event_types},
        )
        return endpoint


WEBHOOK_SECRET_OVERLAP = dt.timedelta(hours=24)


def webhook_endpoint_secret_rotate(*, endpoint: WebhookEndpoint, actor) -> WebhookEndpoint:
    """A new signing secret; for WEBHOOK_SECRET_OVERLAP deliveries are signed with the old one
    too, so the partner can switch their verifier without losing a message."""
    _require_manager(actor, endpoint.organization)
    with transaction.atomic():
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = timezone.now() + WEBHOOK_SECRET_OVERLAP
        endpoint.secret = new_webhook_secret()
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
        activity.record(actor=actor, verb="partner.webhook_secret_rotated", subject=endpoint)
        return endpoint


def webhook_endpoint_set_active(
    *, endpoint: WebhookEndpoint, actor, active: bool
) -> WebhookEndpoint:
    """Switch an endpoint off, or on again (its count of failures in a row starts over)."""
    _require_manager(actor, endpoint.organization)
    with transaction.atomic():
        if endpoint.is_active != active:
            endpoint.is_active = active
            endpoint.consecutive_failures = 0
            endpoint.save(update_fields=["is_active", "consecutive_failures"])
            activity.record(
                actor=actor,
                verb="partner.webhook_enabled" if active else "partner.webhook_disabled",
                subject=endpoint,
            )
        return endpoint


def webhook_test_send(*, endpoint: WebhookEndpoint, actor) -> WebhookDelivery:
    """Queue a `webhook.test` message to the endpoint (sent by the next dispatch, within a
    minute), signed like any other, so the partner can check their receiver."""
    _require_manager(actor, endpoint.organization)
    if not endpoint.is_active:
        raise ServiceError(_("Switch the endpoint on before sending it a test event."))
    with transaction.atomic():
        now = timezone.now()
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            message_id=f"msg_{uuid.uuid4().hex}",
            event_type=TEST_EVENT_TYPE,
            payload={
                "type": TEST_EVENT_TYPE,
                "timestamp": now.isoformat(),
                "data": {"endpoint": endpoint.pk},
            },
            next_attempt_at=now,
        )
        activity.record(actor=actor, verb="partner.webhook_test_sent", subject=endpoint)
        return delivery


def webhook_delivery_redeliver(*, delivery: WebhookDelivery, actor) -> WebhookDelivery:
    """Send a delivery again (same message id, so the receiver can tell it is a repeat)."""
    endpoint = delivery.endpoint
    _require_manager(actor, endpoint.organization)
    if not endpoint.is_active:
        raise ServiceError(_("Switch the endpoint on before sending it anything again."))
    with transaction.atomic():
        if not redeliver(deliveries=WebhookDelivery.objects.filter(pk=delivery.pk)):
            raise ServiceError(_("This message is being sent right now."))
        activity.record(
            actor=actor,
            verb="partner.webhook_redelivered",
            subject=endpoint,
            data={"message_id": delivery.message_id},
        )
        delivery.refresh_from_db()
        return delivery
