"""The partners app's reads for the website: a partner's own management pages (organizers
only, NotFound for anyone else) and its public embeds (what an anonymous visitor may see)."""

from django.db.models import QuerySet

from core import header
from core.exceptions import NotFound
from events.models import Event
from groups.models import Group
from partners.models import (
    PartnerApiKey,
    PartnerGroup,
    PartnerOrganization,
    WebhookDelivery,
    WebhookEndpoint,
)
from partners.permissions import can_manage_partner, partner_organizer_memberships

EMBED_LIMIT = 20
DELIVERY_LOG_LIMIT = 50


def access_managed_partner(*, user, slug: str) -> PartnerOrganization:
    """The partner whose keys and webhooks the user runs; NotFound for anyone else (whether
    the partner exists or not)."""
    partner = PartnerOrganization.objects.filter(slug=slug).first()
    if partner is None or not can_manage_partner(user, partner):
        raise NotFound
    return partner


def partner_api_keys(*, partner: PartnerOrganization) -> QuerySet:
    """The partner's keys, newest first, with their client (scopes) in the same query."""
    return (
        PartnerApiKey.objects.filter(client__organization=partner)
        .select_related("client")
        .order_by("-created", "id")
    )


def access_partner_api_key(*, partner: PartnerOrganization, pk: str) -> PartnerApiKey:
    key = partner_api_keys(partner=partner).filter(pk=pk).first()
    if key is None:
        raise NotFound
    return key


def partner_webhook_endpoints(*, partner: PartnerOrganization) -> QuerySet:
    return WebhookEndpoint.objects.filter(organization=partner).order_by("created_at", "pk")


def access_partner_webhook(*, partner: PartnerOrganization, pk: int) -> WebhookEndpoint:
    endpoint = partner_webhook_endpoints(partner=partner).filter(pk=pk).first()
    if endpoint is None:
        raise NotFound
    endpoint.organization = partner
    return endpoint


def webhook_delivery_log(*, endpoint: WebhookEndpoint) -> QuerySet:
    """The endpoint's latest deliveries (status, response code, latency, attempts)."""
    return endpoint.deliveries.order_by("-created_at", "-pk")[:DELIVERY_LOG_LIMIT]


def access_webhook_delivery(*, endpoint: WebhookEndpoint, pk: int) -> WebhookDelivery:
    delivery = endpoint.deliveries.filter(pk=pk).first()
    if delivery is None:
        raise NotFound
    delivery.endpoint = endpoint
    return delivery


def _embed_events(queryset: QuerySet) -> list[Event]:
    """Upcoming scheduled events of public groups only (whoever frames the embed, it shows what
    an anonymous visitor's listing shows, never more)."""
    return list(
        queryset.filter(pk__in=Event.objects.listed_for(None).values("pk"))
        .upcoming()
        .scheduled()
        .select_related("group")
        .order_by("starts_at", "pk")[:EMBED_LIMIT]
    )


def embed_group(*, slug: str) -> tuple[Group, list[Event], list[str]]:
    """A public group's embed: the group, its next events, and the origins allowed to frame it
    (its owning partner's, none for a group without a partner). NotFound for any other group."""
    public = Group.objects.listed_for(None) & Group.objects.content_visible_to(None)
    group = public.filter(slug=slug).first()
    if group is None:
        raise NotFound
    link = PartnerGroup.objects.filter(group=group).select_related("organization").first()
    origins = link.organization.embed_origin_list if link else []
    return group, _embed_events(Event.objects.filter(group=group)), origins


def embed_partner(*, slug: str) -> tuple[PartnerOrganization, list[Event]]:
    """A partner's embed: the next public events of all the groups it owns."""
    partner = PartnerOrganization.objects.filter(slug=slug).first()
    if partner is None:
        raise NotFound
    owned = PartnerGroup.objects.filter(organization=partner).values("group_id")
    return partner, _embed_events(Event.objects.filter(group_id__in=owned))


def managed_partners(*, user) -> QuerySet:
    """Partners whose groups the user organizes (the partners they run on the website)."""
    group_ids = partner_organizer_memberships(user).values("group_id")
    return PartnerOrganization.objects.filter(group_links__group_id__in=group_ids).distinct()


def managed_partners_header_count(user):
    """For the header (core.header): how many partner groups the user organizes; above 0, the
    header links to their partners."""
    return header.count_of(partner_organizer_memberships(user))
