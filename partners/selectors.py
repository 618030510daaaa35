"""What a partner's key may read: public data for every key, plus its own organization's
private data, through the same visibility querysets as the website."""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.exceptions import NotFound
from events.models import Event, Rsvp
from groups.models import Group
from partners.models import Tombstone


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
