"""What a partner's key may read: public data for every key, plus its own organization's
private data, through the same visibility querysets as the website."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.exceptions import NotFound
from events.models import Event, Rsvp
from groups.models import Group
from partners.models import (
    PartnerApiKey,
    PartnerGroup,
    PartnerOrganization,
    Tombstone,
    WebhookDelivery,
    WebhookEndpoint,
)
from partners.permissions import can_manage_partner


def api_groups(*, group_ids: frozenset) -> QuerySet:
    """Groups a partner sees: those listed publicly in full (public groups, as the directory
    shows them to anyone), plus the groups its organization owns."""
    public = Group.objects.listed_for(None) & Group.objects.content_visible_to(None)
    return (public | Group.objects.filter(pk__in=group_ids)).distinct()


def _count(status: str):
    return Coalesce(
        Subquery(
            Rsvp.objects.filter(event=OuterRef("pk"), status=status)
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def api_events(*, group_ids: frozenset) -> QuerySet:
    """Events a partner sees: those listed for anyone (public groups' events), plus its own
    organization's groups' events, with group, series, tags and RSVP counts fetched up front."""
    visible = Event.objects.listed_for(None) | Event.objects.filter(group_id__in=group_ids)
    return (
        visible.select_related("group", "series")
        .prefetch_related("tags")
        .annotate(
            going_count=_count(Rsvp.Status.GOING), waitlist_count=_count(Rsvp.Status.WAITLISTED)
        )
    )


# The columns the API's event shape is built from (partners.api.representations.event_data).
EVENT_COLUMNS = (
    "id",
    "slug",
    "title",
    "description",
    "category",
    "group_id",
    "group__slug",
    "group__name",
    "group__city",
    "series_id",
    "series__rrule",
    "series__timezone",
    "status",
    "timezone",
    "starts_at",
    "ends_at",
    "rsvp_opens_at",
    "rsvp_closes_at",
    "venue_name",
    "city",
    "address",
    "online_url",
    "latitude",
    "longitude",
    "capacity",
    "guests_allowed",
    "going_count",
    "waitlist_count",
    "seats_taken",
    "cost_note",
    "newcomers_welcome",
    "step_free_access",
    "quiet_room",
    "sign_language",
    "accessibility_notes",
    "cancellation_message",
    "created_at",
    "updated_at",
)


def event_rows(queryset: QuerySet) -> list[dict]:
    """The events of `queryset` (from api_events, sliced or not) as plain dicts with their tag
    names: two queries whatever the number of rows, and no model instances (the read path is
    the API's busiest)."""
    rows = list(queryset.prefetch_related(None).values(*EVENT_COLUMNS))
    tags: dict[int, list[str]] = {row["id"]: [] for row in rows}
    if rows:
        pairs = (
            Event.tags.through.objects.filter(event_id__in=list(tags))
            .order_by("tag__name")
            .values_list("event_id", "tag__name")
        )
        for event_id, name in pairs:
            tags[event_id].append(name)
    for row in rows:
        row["tags"] = tags[row["id"]]
    return rows


def api_event_row(*, group_ids: frozenset, pk: int) -> dict:
    """One event the partner sees, as event_rows gives it; NotFound otherwise."""
    rows = event_rows(api_events(group_ids=group_ids).filter(pk=pk))
    if not rows:
        raise NotFound
    return rows[0]


def access_api_event(*, group_ids: frozenset, pk: int) -> Event:
    """One event the partner sees; NotFound otherwise."""
    event = api_events(group_ids=group_ids).filter(pk=pk).first()
    if event is None:
        raise NotFound
    return event


def access_own_event(*, group_ids: frozenset, pk: int) -> Event:
    """An event of the partner's own organization's groups; NotFound for any other (even a
    public one: its RSVPs and writes are not the partner's)."""
    event = access_api_event(group_ids=group_ids, pk=pk)
    if event.group_id not in group_ids:
        raise NotFound
    return event


def own_event_rsvps(*, event: Event) -> QuerySet:
    """Going and waitlisted RSVPs of an event the partner owns (checked by access_own_event),
    in the order the organizers' page shows them."""
    return (
        Rsvp.objects.filter(event=event, status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED])
        .select_related("user")
        .order_by("status", "waitlist_position", "created_at", "pk")
    )


def api_tombstones(*, organization_id: int, since) -> QuerySet:
    """Events that went since `since` that the partner could see: public ones, and its own
    (an own group's event that stopped being public is still the partner's to see)."""
    own = Q(organization_id=organization_id)
    return (
        Tombstone.objects.filter(gone_at__gte=since)
        .filter(Q(was_public=True) | own)
        .exclude(own & Q(reason=Tombstone.Reason.HIDDEN))
    )


# The website: a partner's own management pages (organizers only) and its public embeds.

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
