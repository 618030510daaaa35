"""What the partners app tells people: a partner's organizers hear when one of its webhook
endpoints was switched off after failing too many times in a row."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.refs import dedupe_key, ref, ref_pk
from notifications import services as outbox
from notifications.registry import Kind, Rendered, register
from partners.models import WebhookEndpoint
from partners.permissions import partner_organizers

WEBHOOK_DISABLED = "partners.webhook_disabled"


def on_webhook_endpoint_disabled(*, endpoint: WebhookEndpoint) -> int:
    """Every organizer of the partner's groups is told (once per switching off)."""
    subject = ref(endpoint)
    with transaction.atomic():
        return outbox.notification_schedule_many(
            recipient_ids=partner_organizers(endpoint.organization).values("user_id"),
            kind=WEBHOOK_DISABLED,
            subject=subject,
            dedupe_key=dedupe_key(WEBHOOK_DISABLED, subject, int(timezone.now().timestamp())),
            context={"failures": endpoint.consecutive_failures},
        )


def render_webhook_disabled(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """Only while the endpoint exists and the recipient still runs the partner."""
    endpoints = WebhookEndpoint.objects.select_related("organization").in_bulk(
        {ref_pk(r.subject, WebhookEndpoint) for r in rows} - {None}
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        endpoint = endpoints.get(ref_pk(row.subject, WebhookEndpoint))
        if (
            endpoint is None
            or not partner_organizers(endpoint.organization)
            .filter(user_id=row.recipient_id)
            .exists()
        ):
            result[row.pk] = None
            continue
        partner = endpoint.organization
        result[row.pk] = Rendered(
            subject=_("Webhooks to %(url)s are switched off") % {"url": endpoint.url},
            url=reverse("partners:webhook", args=[partner.slug, endpoint.pk]),
            template="emails/partner_webhook_disabled",
            context={
                "partner": partner,
                "endpoint": endpoint,
                "failures": row.context.get("failures"),
            },
            summary=_("It failed too many times in a row; switch it on again once it works."),
        )
    return result


register(
    Kind(
        key=WEBHOOK_DISABLED,
        label=gettext_lazy("Partner webhooks switched off"),
        description=gettext_lazy(
            "When a webhook endpoint of a partner you organize for failed too often."
        ),
        render=render_webhook_disabled,
    )
)
