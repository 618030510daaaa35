"""What a partner's key may read: public data for every key, plus its own organization's
private data, through the same visibility querysets as the website."""

import functools
import json

from django.db.models import (
    Aggregate,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Coalesce

from core import compiled
from core.exceptions import NotFound
from events.models import LONG_EVENT, Event, EventSeries, Rsvp
from groups.models import Group
from partners.models import (
    ApiClient,
    PartnerApiKey,
    PartnerGroup,
    PartnerOrganization,
    Registration,
    Tombstone,
)
from volunteering.models import HoursEntry, Role, Shift, ShiftSignup, VolunteerProject


class _IdList(Aggregate):
    """The ids of a set of rows in one text value, "3,7,12" (read back by id_set)."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s((%(expressions)s)::text, ',')",
            **extra_context,
        )


def id_set(value: str | None) -> frozenset:
    return frozenset(int(part) for part in value.split(",")) if value else frozenset()


def _concrete(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


_KEY_FIELDS = _concrete(PartnerApiKey)
_CLIENT_FIELDS = _concrete(ApiClient)
_ORGANIZATION_FIELDS = _concrete(PartnerOrganization)


def _key_with_groups(*, prefix: str) -> QuerySet:
    owned = (
        PartnerGroup.objects.filter(organization_id=OuterRef("client__organization_id"))
        .order_by()
        .values("organization_id")
        .annotate(ids=_IdList("group_id"))
        .values("ids")
    )
    return (
        PartnerApiKey.objects.filter(prefix=prefix, revoked=False)
        .annotate(owned_group_ids=Subquery(owned))
        .order_by()
        .values(
            *_KEY_FIELDS,
            *(f"client__{name}" for name in _CLIENT_FIELDS),
            *(f"client__organization__{name}" for name in _ORGANIZATION_FIELDS),
            "owned_group_ids",
        )[:1]
    )


def api_key_for(prefix: str, *, using: str = "default") -> PartnerApiKey | None:
    """The unrevoked key with this prefix, with its client and organization, and the ids of the
    groups the organization owns in `owned_group_ids` (read with id_set): one query, compiled
    once per process, so what a key may see is always as the database says at this request
    (no copy to go stale). The caller checks the secret and the expiry. A prefix no key can
    have (with a NUL, which PostgreSQL's text refuses) finds none without asking."""
    if "\x00" in prefix:
        return None
    found = compiled.rows(
        _key_with_groups,
        key=("partners.api_key_for",),
        args={"prefix": prefix},
        using=using,
        generic_plan=True,
    )
    if not found:
        return None
    row = found[0]
    organization = PartnerOrganization.from_db(
        using,
        _ORGANIZATION_FIELDS,
        [row[f"client__organization__{name}"] for name in _ORGANIZATION_FIELDS],
    )
    client = ApiClient.from_db(
        using, _CLIENT_FIELDS, [row[f"client__{name}"] for name in _CLIENT_FIELDS]
    )
    client.organization = organization
    api_key = PartnerApiKey.from_db(using, _KEY_FIELDS, [row[name] for name in _KEY_FIELDS])
    api_key.client = client
    api_key.owned_group_ids = row["owned_group_ids"]
    return api_key


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


def _visible_events(*, group_ids: frozenset) -> QuerySet:
    """Events a partner sees: those listed for anyone (public groups' events), plus its own
    organization's groups' events."""
    return Event.objects.listed_for(None) | Event.objects.filter(group_id__in=group_ids)


def api_events(*, group_ids: frozenset) -> QuerySet:
    """The events a partner sees (_visible_events), with group, series, tags and RSVP counts
    fetched up front."""
    return (
        _visible_events(group_ids=group_ids)
        .select_related("group", "series")
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
    "tag_names",
)


class _TagNames(Aggregate):
    """The tag names of one event in one value: a JSON array (text) on SQLite, sorted by the
    caller (SQLite's default collation is the order of the code points, as Python sorts); an
    array in name order on PostgreSQL."""

    function = "JSON_GROUP_ARRAY"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="ARRAY_AGG",
            template="%(function)s(%(expressions)s ORDER BY %(expressions)s)",
            **extra_context,
        )


def _tag_names():
    return Subquery(
        Event.tags.through.objects.filter(event_id=OuterRef("pk"))
        .order_by()
        .values("event_id")
        .annotate(names=_TagNames("tag__name"))
        .values("names")
    )


def tag_list(value) -> list[str]:
    """The `tag_names` column of an event row as a list in name order."""
    if value is None:
        return []
    if isinstance(value, str):
        return sorted(json.loads(value))
    return list(value)


def _event_values(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(None).annotate(tag_names=_tag_names()).values(*EVENT_COLUMNS)


def _with_tags(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["tags"] = tag_list(row.pop("tag_names"))
    return rows


def event_rows(queryset: QuerySet) -> list[dict]:
    """The events of `queryset` (from api_events, sliced or not) as plain dicts with their tag
    names: one query whatever the number of rows (the tags in a subquery per row), and no
    model instances (the read path is the API's busiest)."""
    return _with_tags(list(_event_values(queryset)))


def _one_event(*, group_ids: tuple, pk: int) -> QuerySet:
    return _event_values(api_events(group_ids=frozenset(group_ids)).filter(pk=pk))


def api_event_row(*, group_ids: frozenset, pk: int) -> dict:
    """One event the partner sees, as event_rows gives it (the query compiled once per
    process and number of owned groups); NotFound otherwise."""
    rows = compiled.rows(
        _one_event,
        key=("partners.api_event_row",),
        args={"group_ids": tuple(sorted(group_ids)), "pk": pk},
        generic_plan=True,
    )
    if not rows:
        raise NotFound
    return _with_tags(rows)[0]


def _coming_events(
    *, limit: int, group_ids: tuple, now, since, after_starts_at=None, after_id=None
) -> QuerySet:
    events = (
        api_events(group_ids=frozenset(group_ids))
        .prefetch_related(None)
        .annotate(tag_names=_tag_names())
        .upcoming(now, since=since)
        .order_by("starts_at", "pk")
    )
    if after_starts_at is not None:
        events = events.filter(
            Q(starts_at__gt=after_starts_at) | Q(starts_at=after_starts_at, pk__gt=after_id)
        )
    page = events[:limit]
    # On PostgreSQL, the website's two-part read of upcoming events (EventQuerySet.upcoming):
    # the page never walks the site's history of ended events.
    merged = page.merged_upcoming()
    return (page if merged is None else merged).values(*EVENT_COLUMNS)


def api_coming_event_rows(
    *, group_ids: frozenset, now, limit: int, after: tuple | None = None
) -> list[dict]:
    """Up to `limit` events the partner sees that have not ended at `now`, in (starts_at, id)
    order after `after` (a (starts_at, id) pair, the cursor), as event_rows gives them: the
    partner API's default list, its query compiled once per process and shape (page size,
    number of owned groups, with a cursor or not) and only its values bound at each request. On
    PostgreSQL it is the website's two-part read of upcoming events (EventQuerySet.upcoming),
    with one generic plan per connection."""
    args = {"group_ids": tuple(sorted(group_ids)), "now": now, "since": now - LONG_EVENT}
    if after is not None:
        args |= {"after_starts_at": after[0], "after_id": after[1]}
    rows = compiled.rows(
        functools.partial(_coming_events, limit=limit),
        key=("partners.api_coming_event_rows", limit),
        args=args,
        generic_plan=True,
    )
    return _with_tags(rows)


def access_api_event(*, group_ids: frozenset, pk: int) -> Event:
    """One event the partner sees, with its group and series (no tags or counts: callers check
    access with it and change it through the services, which read it afresh); NotFound
    otherwise."""
    event = (
        _visible_events(group_ids=group_ids).filter(pk=pk).select_related("group", "series").first()
    )
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


def api_tombstones(*, organization_id: int, since, kind: str = Tombstone.Kind.EVENT) -> QuerySet:
    """Objects of a kind (events, projects, shifts) that went since `since` that the partner
    could see: public ones, and its own (an own group's object that stopped being public is
    still the partner's to see)."""
    own = Q(organization_id=organization_id)
    return (
        Tombstone.objects.filter(kind=kind, gone_at__gte=since)
        .filter(Q(was_public=True) | own)
        .exclude(own & Q(reason=Tombstone.Reason.HIDDEN))
    )


# Volunteering: projects, shifts, sign-ups and the partner's own verified hours. Care calendars
# are never read here.


def api_projects(*, group_ids: frozenset) -> QuerySet:
    """Volunteer projects a partner sees: those listed for anyone (public groups'), plus its
    own organization's groups' projects."""
    return VolunteerProject.objects.listed_for(None) | VolunteerProject.objects.filter(
        group_id__in=group_ids
    )


PROJECT_COLUMNS = (
    "id",
    "slug",
    "title",
    "description",
    "cause",
    "remote",
    "timezone",
    "venue_name",
    "address",
    "city",
    "latitude",
    "longitude",
    "starts_on",
    "ends_on",
    "minimum_age",
    "skills",
    "waiver_version",
    "status",
    "group_id",
    "group__slug",
    "group__name",
    "group__city",
    "created_at",
    "updated_at",
)


def project_rows(queryset: QuerySet) -> list[dict]:
    """The projects of `queryset` as plain dicts with their roles: two queries whatever the
    number of rows."""
    rows = list(queryset.values(*PROJECT_COLUMNS))
    roles: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    if rows:
        for role in (
            Role.objects.filter(project_id__in=list(roles))
            .order_by("name", "pk")
            .values("id", "project_id", "name", "description", "skills")
        ):
            roles[role.pop("project_id")].append(role)
    for row in rows:
        row["roles"] = roles[row["id"]]
    return rows


def access_api_project(*, group_ids: frozenset, pk: int) -> VolunteerProject:
    """One project the partner sees; NotFound otherwise."""
    project = api_projects(group_ids=group_ids).filter(pk=pk).select_related("group").first()
    if project is None:
        raise NotFound
    return project


def access_own_project(*, group_ids: frozenset, pk: int) -> VolunteerProject:
    """A project of the partner's own groups; NotFound for any other (even a public one)."""
    project = access_api_project(group_ids=group_ids, pk=pk)
    if project.group_id not in group_ids:
        raise NotFound
    return project


def api_project_row(*, group_ids: frozenset, pk: int) -> dict:
    rows = project_rows(api_projects(group_ids=group_ids).filter(pk=pk))
    if not rows:
        raise NotFound
    return rows[0]


def _signup_count(status: str):
    return Coalesce(
        Subquery(
            ShiftSignup.objects.filter(shift=OuterRef("pk"), status=status)
            .order_by()
            .values("shift")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def api_shifts(*, group_ids: frozenset) -> QuerySet:
    """Shifts a partner sees: those of the projects it sees, with their signed-up and
    waitlisted counts computed in the same query."""
    return Shift.objects.filter(
        role__project__in=api_projects(group_ids=group_ids).values("pk")
    ).annotate(
        signed_up_count=_signup_count(ShiftSignup.Status.SIGNED_UP),
        waitlist_count=_signup_count(ShiftSignup.Status.WAITLISTED),
    )


SHIFT_COLUMNS = (
    "id",
    "role_id",
    "role__name",
    "role__project_id",
    "role__project__slug",
    "role__project__title",
    "role__project__group_id",
    "role__project__group__slug",
    "role__project__group__name",
    "role__project__group__city",
    "role__project__venue_name",
    "role__project__address",
    "role__project__city",
    "role__project__latitude",
    "role__project__longitude",
    "series_id",
    "series__rrule",
    "status",
    "timezone",
    "starts_at",
    "ends_at",
    "venue_name",
    "address",
    "city",
    "latitude",
    "longitude",
    "capacity",
    "seats_taken",
    "signed_up_count",
    "waitlist_count",
    "step_free_access",
    "quiet_room",
    "sign_language",
    "accessibility_notes",
    "notes",
    "cancellation_message",
    "created_at",
    "updated_at",
)


def shift_rows(queryset: QuerySet) -> list[dict]:
    """The shifts of `queryset` (from api_shifts) as plain dicts: one query."""
    return list(queryset.values(*SHIFT_COLUMNS))


def api_shift_row(*, group_ids: frozenset, pk: int) -> dict:
    rows = shift_rows(api_shifts(group_ids=group_ids).filter(pk=pk))
    if not rows:
        raise NotFound
    return rows[0]


def access_own_shift(*, group_ids: frozenset, pk: int) -> Shift:
    """A shift of the partner's own groups' projects; NotFound for any other."""
    shift = (
        Shift.objects.filter(pk=pk, role__project__group_id__in=group_ids)
        .select_related("role__project__group")
        .first()
    )
    if shift is None:
        raise NotFound
    return shift


def access_api_shift(*, group_ids: frozenset, pk: int) -> Shift:
    """A shift the partner sees; NotFound otherwise."""
    shift = (
        api_shifts(group_ids=group_ids).filter(pk=pk).select_related("role__project__group").first()
    )
    if shift is None:
        raise NotFound
    return shift


def own_shift_signups(*, shift: Shift) -> QuerySet:
    """Signed-up and waitlisted volunteers of a shift the partner owns (checked by
    access_own_shift), in the order the coordinators' page shows them."""
    return (
        ShiftSignup.objects.filter(
            shift=shift,
            status__in=[ShiftSignup.Status.SIGNED_UP, ShiftSignup.Status.WAITLISTED],
        )
        .select_related("user")
        .order_by("status", "waitlist_position", "created_at", "pk")
    )


def own_verified_hours(*, group_ids: frozenset) -> QuerySet:
    """Verified hours (reversals and corrections included, so sums are right) of the partner's
    own groups' projects, for funder reports."""
    return (
        HoursEntry.objects.verified()
        .filter(project__group_id__in=group_ids)
        .select_related("project", "volunteer")
    )


def access_own_series(*, group_ids: frozenset, pk: int) -> EventSeries:
    """A recurring event of the partner's own groups; NotFound for any other."""
    series = (
        EventSeries.objects.filter(pk=pk, group_id__in=group_ids)
        .select_related("group")
        .prefetch_related("tags")
        .first()
    )
    if series is None:
        raise NotFound
    return series


def own_registrations(*, organization_id: int, event=None, shift=None) -> QuerySet:
    """The registrations any client of the organization asked for, for one of its own events
    or shifts (checked by the caller)."""
    target = {"event": event} if event is not None else {"shift": shift}
    return Registration.objects.filter(client__organization_id=organization_id, **target)
