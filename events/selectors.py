"""Reads of events, limited to what the user may see, with related rows fetched up front."""

import datetime as dt
import functools
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, JSONObject, RowNumber
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import blocked_either_way_q
from core import compiled, places
from core.exceptions import NotFound
from core.geo import filter_near, snap  # noqa: F401 - snap: the tests measure with it
from core.moderation import assume_no_session, is_site_moderator
from core.paging import Page, browse_depth, nearest_page_of
from core.search import EqualsAnyOf
from core.timezones import site_timezone, timezone_names
from events.models import (
    LONG_EVENT,
    AnyOf,
    Event,
    EventSeries,
    Rsvp,
    SeriesRsvp,
    Tag,
    WalkIn,
    ended_q,
)
from events.permissions import can_keep_standing_rsvp, can_manage_event
from events.rsvp_state import RsvpState, rsvp_state
from groups.models import Group, Membership, active_member_q
from groups.permissions import UNKNOWN, can_manage_events, is_active_member, membership_get
from groups.selectors import note_moderator_view

HOME_SECTION_SIZE = 6
NEARBY_RADIUS_KM = 25.0


def _viewer_timezone(user) -> zoneinfo.ZoneInfo:
    name = getattr(user, "timezone", "") if user is not None and user.is_authenticated else ""
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def _with_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("group").prefetch_related("tags")


TEXT_FIELDS = ("title", "description", "venue_name", "city")


def _text_match(word: str) -> Q:
    """Events whose title, description, venue or town holds `word`, or whose group's name or
    town does (an event without a town of its own shows its group's).

    On PostgreSQL every part of the OR can be read from an index (the trigram indexes, and the
    group's events through `group_id = ANY(...)`), so the planner may combine them for a rare
    word instead of walking every upcoming event, and still walks by start time for a common
    one (issue #11, docs/performance.md). SQLite matches by scanning: the group's match is an
    EXISTS on the row's own group."""
    named = Group.objects.filter(name__icontains=word)
    in_town = Group.objects.filter(city__icontains=word)
    columns = Q()
    for name in TEXT_FIELDS:
        columns |= Q(**{f"{name}__icontains": word})
    if connection.vendor != "postgresql":
        own = OuterRef("group_id")
        return (
            columns | Exists(named.filter(pk=own)) | (Q(city="") & Exists(in_town.filter(pk=own)))
        )
    group_named = EqualsAnyOf(F("group_id"), Subquery(named.order_by().values("pk")))
    group_in_town = EqualsAnyOf(F("group_id"), Subquery(in_town.order_by().values("pk")))
    condition = columns | Q(group_named) | (Q(city="") & Q(group_in_town))
    # A page in start order reads the event's own columns and its group apart (AnyOf): the
    # planner cannot tell how many events `group_id = ANY(...)` finds (it guesses a hundred
    # for any word), so in one OR a town with a thousand groups ("leeds") was read from the
    # group index, every one of its events sorted (300 ms at 100k events). Apart, the
    # group's part is a join with the groups whose name or town holds the word, estimated
    # from the groups' own statistics.
    by_group = Q(group_id__in=(named | in_town).order_by().values("pk")) & (
        Q(city="") | Q(group_id__in=named.order_by().values("pk"))
    )
    return Q(AnyOf(condition, [columns, by_group]))


def event_list_visible(
    *, user, filters: Mapping[str, Any] | None = None, now: dt.datetime | None = None
) -> QuerySet:
    """Events listed for the user (never unlisted or others' private groups' events), narrowed by
    `filters`: text (title, description, venue, town, group), date_from, date_to (dates in the
    user's time zone), category, group (slug),
    mode ("online" / "in_person"), lat + lon + radius_km, include_past."""
    filters = filters or {}
    events = Event.objects.listed_for(user)

    if not filters.get("include_past"):
        events = events.upcoming(now)

    for word in (filters.get("text") or "").split():
        events = events.filter(_text_match(word))

    tz = _viewer_timezone(user)
    if date_from := filters.get("date_from"):
        events = events.filter(ends_at__gte=dt.datetime.combine(date_from, dt.time(), tzinfo=tz))
    if date_to := filters.get("date_to"):
        day_after = date_to + dt.timedelta(days=1)
        events = events.filter(starts_at__lt=dt.datetime.combine(day_after, dt.time(), tzinfo=tz))

    if category := filters.get("category"):
        events = events.filter(category=category)
    if group := filters.get("group"):
        events = events.filter(group__slug=group)

    mode = filters.get("mode")
    if mode == "online":
        events = events.exclude(online_url="")
    elif mode == "in_person":
        events = events.filter(~Q(address="") | ~Q(venue_name=""))

    lat, lon, radius = filters.get("lat"), filters.get("lon"), filters.get("radius_km")
    if lat is not None and lon is not None and radius:
        events = filter_near(events, lat=lat, lon=lon, radius_km=radius)

    return _with_related(events).order_by("starts_at", "id")


# How many dates of a series its card in the event list names.
SERIES_DATES_SHOWN = 4


def one_per_series(events: QuerySet) -> QuerySet:
    """`events` with each series once: a series' date stays only when no earlier date of the
    same series is among `events`, so a series shows at its next matching date. The subquery
    is `events` itself (the same visibility and filters), so it can only look at dates the
    viewer may see, and the partial unique index on (series, starts_at) answers it."""
    earlier = events.order_by().filter(
        series_id=OuterRef("series_id"), starts_at__lt=OuterRef("starts_at")
    )
    return events.filter(Q(series__isnull=True) | ~Exists(earlier))


def _own_standing(user) -> Exists:
    """Whether the user keeps a standing RSVP to the row's series (an annotation)."""
    return Exists(SeriesRsvp.objects.active().filter(series=OuterRef("series_id"), user=user))


def with_viewer_answers(events: QuerySet, *, user) -> QuerySet:
    """`viewer_status` (the user's RSVP status to each event, or None) and `viewer_standing`
    (whether they keep a standing RSVP to its series), in the same query; None and False for
    visitors."""
    if user is None or not user.is_authenticated:
        return events
    return events.annotate(
        viewer_status=Subquery(
            Rsvp.objects.filter(event=OuterRef("pk"), user=user).values("status")[:1]
        ),
        viewer_standing=_own_standing(user),
    )


def event_list_results(
    *, user, filters: Mapping[str, Any] | None = None, now: dt.datetime | None = None
) -> QuerySet:
    """The event list's results: event_list_visible with each series once (at its next date
    matching the filters), its series and the viewer's own answers loaded with it."""
    events = one_per_series(event_list_visible(user=user, filters=filters, now=now))
    return with_viewer_answers(events.select_related("series"), user=user)


def _member_list_rows(*, reader: int, now: dt.datetime, since: dt.datetime, start: int, stop: int):
    """Rows `start` to `stop` of the event list without a filter, for the reader (an id), as
    the page reads them (EventQuerySet.merged_upcoming where it applies)."""
    events = event_list_results(user=_reader(reader), filters={}, now=now)
    # Each row's tags as a JSON array in the page's own query (_keep_tags), not a query more.
    events = events.prefetch_related(None).annotate(tag_rows=_tags_json())[start:stop]
    merged = events.merged_upcoming(since=since)
    return merged if merged is not None else events


def event_list_page(*, user, filters: Mapping[str, Any], number, per_page: int) -> Page:
    """The page of event_list_results the list shows (core.paging.nearest_page_of, as deep as
    core.paging.browse_depth). The list without a filter for a signed-in member (not a
    moderator in a session) is read by a query compiled once per process for each page
    position, binding only the reader and the time (core.compiled): building and compiling it
    cost more than running it."""
    deepest = browse_depth(per_page)
    wanted = number if isinstance(number, int) and 1 <= number <= deepest else None
    plain = not any(filters.values())
    signed_in = user is not None and user.is_authenticated
    if wanted is not None and plain and signed_in and not is_site_moderator(user):
        now = timezone.now()
        start = (wanted - 1) * per_page
        stop = start + per_page + 1
        build = functools.partial(_member_list_rows, start=start, stop=stop)
        rows = compiled.instances(
            build,
            key=("events.event_list_page", start, stop),
            args={"reader": user.pk, "now": now, "since": now - LONG_EVENT},
            generic_plan=True,
        )
        for event in rows:
            _keep_tags(event, event.tag_rows)
        if rows or wanted == 1:
            return Page.of_rows(rows, wanted, per_page, deepest)
    events = event_list_results(user=user, filters=filters)
    return nearest_page_of(events, number, per_page, deepest)


def series_dates(series_ids, *, user, filters: Mapping[str, Any] | None = None) -> QuerySet:
    """The first SERIES_DATES_SHOWN dates of each of these series that match the list's
    visibility and filters, each with the viewer's `viewer_status`: one query (a window
    function numbers each series' dates)."""
    matching = event_list_visible(user=user, filters=filters).order_by()
    numbered = matching.filter(series_id__in=list(series_ids)).annotate(
        number=Window(
            RowNumber(),
            partition_by=[F("series_id")],
            order_by=[F("starts_at").asc(), F("id").asc()],
        )
    )
    return with_viewer_answers(
        numbered.filter(number__lte=SERIES_DATES_SHOWN)
        .select_related(None)
        .prefetch_related(None)
        .only("pk", "slug", "series_id", "starts_at", "ends_at", "timezone", "status"),
        user=user,
    ).order_by("series_id", "starts_at", "id")


def attach_series_dates(
    events: list[Event], *, user, filters: Mapping[str, Any] | None = None
) -> None:
    """Give each series' card (`events` from event_list_results) `series_dates` (see
    series_dates). One query for every series shown, none when there is none."""
    series_ids = {event.series_id for event in events if event.series_id}
    if not series_ids:
        return
    by_series: dict[int, list[Event]] = {}
    for row in series_dates(series_ids, user=user, filters=filters):
        by_series.setdefault(row.series_id, []).append(row)
    for event in events:
        if event.series_id:
            event.series_dates = by_series.get(event.series_id, [])


def access_event(*, user, slug: str) -> Event:
    """The event the user may open, with its group and series; NotFound when it does not
    exist for them."""
    try:
        event = (
            Event.objects.visible_to(user)
            .select_related("group", "series")
            .prefetch_related("tags")
            .get(slug=slug)
        )
    except Event.DoesNotExist:
        raise NotFound from None
    note_moderator_view(user, event.group, subject=event)
    return event


@dataclass
class EventPage:
    event: Event
    membership: Membership | None
    waitlist_count: int
    rsvp: Rsvp | None = None
    going_people: int = 0
    # Who runs the event's group, and (for its active members only) the first people going,
    # as accounts with their public names, read with the event.
    hosts: list = field(default_factory=list)
    going_names: list | None = None


_MEMBERSHIP_FIELDS = ("pk", "role", "status", "joined_at")
_RSVP_FIELDS = ("pk", "status", "guests", "waitlist_position", "waitlisted_at", "checked_in_at")
# How many hosts an event page names, and how many people going it names to members.
HOSTS_NAMED = 3
GOING_NAMED = 20


def _count(queryset: QuerySet):
    return Coalesce(
        Subquery(queryset.order_by().values("event").annotate(n=Count("pk")).values("n")), 0
    )


def _json_datetime(value):
    """A date and time from a JSON object the database built (JSONObject): text, without an
    offset from SQLite, which keeps them in UTC; None stays None."""
    if not isinstance(value, str):
        return value
    value = parse_datetime(value)
    return timezone.make_aware(value, dt.UTC) if timezone.is_naive(value) else value


def _from_json(model, values: dict) -> dict:
    """A row's fields from a JSON object the database built (JSONObject)."""
    fields = {}
    for name, value in values.items():
        model_field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if isinstance(model_field, DateTimeField):
            value = _json_datetime(value)
        fields[name] = value
    return fields


class _RowsAsJSON(Subquery):
    """The rows of a `.values(o=JSONObject(...))` queryset (its one column named `o`) as one
    JSON array, in no promised order (the reader sorts them): what would be one more query is
    one more subquery of the page's own."""

    output_field = JSONField()

    def as_sql(self, compiler, connection, template=None, **extra_context):
        template = '(SELECT JSON_GROUP_ARRAY(JSON("_rows"."o")) FROM (%(subquery)s) "_rows")'
        return super().as_sql(compiler, connection, template=template, **extra_context)

    def as_postgresql(self, compiler, connection, template=None, **extra_context):
        template = (
            '(SELECT COALESCE(JSONB_AGG("_rows"."o"), \'[]\'::jsonb) FROM (%(subquery)s) "_rows")'
        )
        return super().as_sql(compiler, connection, template=template, **extra_context)


def _people_json(rows: QuerySet, *, order: tuple[str, str], limit: int) -> _RowsAsJSON:
    """The first `limit` of `rows` (a model's rows with a `user`) by `order`, each as the
    person's id, what their public name needs, and the fields of `order` (see
    _people_from_json)."""
    fields = {name: name for name in ("user_id", *(f"user__{n}" for n in _NAME_FIELDS), *order)}
    # A missing date comes last on both databases (SQLite would put it first), as the reader
    # sorts.
    ordering = (F(order[0]).asc(nulls_last=True), order[1])
    return _RowsAsJSON(rows.order_by(*ordering).values(o=JSONObject(**fields))[:limit])


def _tags_json() -> _RowsAsJSON:
    tags = Event.tags.through.objects.filter(event_id=OuterRef("pk")).order_by()
    return _RowsAsJSON(tags.values(o=JSONObject(pk="tag_id", name="tag__name", slug="tag__slug")))


def _event_page_query(*, user, slug: str) -> QuerySet:
    """event_page's query: the event `user` may open, with its counts and, for a signed-in
    user, their own membership, RSVP and standing RSVP."""
    events = Event.objects.visible_to(user).annotate(
        waitlisted=_count(Rsvp.objects.filter(event=OuterRef("pk"), status=Rsvp.Status.WAITLISTED)),
        going_people=_count(Rsvp.objects.filter(event=OuterRef("pk"), status=Rsvp.Status.GOING)),
        tag_rows=_tags_json(),
        # One more than are named, to say "and others".
        host_rows=_people_json(
            _hosts(group=OuterRef("group_id")), order=_HOSTS_ORDER, limit=HOSTS_NAMED + 1
        ),
    )
    if user is not None and user.is_authenticated:
        going = _going(event=OuterRef("pk"), reader=user.pk)
        events = events.annotate(
            going_rows=_people_json(going, order=_GOING_ORDER, limit=GOING_NAMED)
        )
        # The viewer's own membership and RSVP, each one subquery giving one JSON object (or
        # NULL), not one subquery per field.
        own = Membership.objects.filter(group=OuterRef("group_id"), user=user)
        own_rsvp = Rsvp.objects.filter(event=OuterRef("pk"), user=user).annotate(
            ahead=_count(
                Rsvp.objects.filter(
                    event=OuterRef("event"),
                    status=Rsvp.Status.WAITLISTED,
                    waitlist_position__lt=OuterRef("waitlist_position"),
                )
            )
        )
        events = events.annotate(
            own_membership=Subquery(
                own.values(own=JSONObject(**{name: name for name in _MEMBERSHIP_FIELDS}))[:1]
            ),
            own_rsvp=Subquery(
                own_rsvp.values(
                    own=JSONObject(ahead="ahead", **{name: name for name in _RSVP_FIELDS})
                )[:1]
            ),
            # Whether they go to every date of its series (the standing-RSVP control).
            own_standing_rsvp=_own_standing(user),
        )
    return events.select_related("group", "series").filter(slug=slug)[:1]


def _reader(pk: int):
    """An account known by its id alone, outside any moderation session: what the queries
    compiled for signed-in members (core.compiled) are built for."""
    return assume_no_session(get_user_model()(pk=pk))


def _member_event_page(*, slug: str, reader: int) -> QuerySet:
    return _event_page_query(user=_reader(reader), slug=slug)


def event_page(*, user, slug: str) -> EventPage:
    """The event the user may open (as access_event), with what its page needs in the same
    query: how many are going and waiting, and the user's own membership of its group (any
    status, as groups.permissions.membership_get gives it) and own RSVP (with its place in
    line), its tags, who runs its group, and the first people going (named to the group's
    active members only, never someone blocked either way). NotFound when it does not exist
    for them."""
    signed_in = user is not None and user.is_authenticated
    if signed_in and not is_site_moderator(user):
        # Built and compiled once per process; each view binds only the slug and the reader.
        found = compiled.instances(
            _member_event_page,
            key=("events.event_page",),
            args={"slug": slug, "reader": user.pk},
            generic_plan=True,
        )
    else:
        found = list(_event_page_query(user=user, slug=slug))
    if not found:
        raise NotFound
    event = found[0]
    membership = None
    rsvp = None
    if signed_in and event.own_membership is not None:
        membership = Membership(
            group=event.group, user=user, **_from_json(Membership, event.own_membership)
        )
        membership._state.adding = False
        membership._state.db = event._state.db
    if signed_in and event.own_rsvp is not None:
        ahead = event.own_rsvp.pop("ahead")
        rsvp = Rsvp(event=event, user=user, **_from_json(Rsvp, event.own_rsvp))
        rsvp._state.adding = False
        rsvp._state.db = event._state.db
        waiting = rsvp.status == Rsvp.Status.WAITLISTED
        rsvp.place_in_line = ahead + 1 if waiting else None
    note_moderator_view(
        user, event.group, membership=membership if signed_in else UNKNOWN, subject=event
    )
    _keep_tags(event, event.tag_rows)
    # The names of the people going are read for any signed-in viewer (one compiled statement),
    # and kept only for the group's active members: never left on the event for a template.
    going_rows = event.__dict__.pop("going_rows", None)
    going_names = None
    if signed_in and is_active_member(user, event.group, membership=membership):
        going_names = _people_from_json(going_rows, order=_GOING_ORDER)
    return EventPage(
        event=event,
        membership=membership,
        waitlist_count=event.waitlisted,
        rsvp=rsvp,
        going_people=event.going_people,
        hosts=_people_from_json(event.host_rows, order=_HOSTS_ORDER),
        going_names=going_names,
    )


def _keep_tags(event: Event, rows: list[dict]) -> None:
    """Give `event` its tags (from _tags_json) as prefetch_related("tags") would, in the tags'
    order (by name)."""
    tags = sorted((Tag(**row) for row in rows), key=lambda tag: (tag.name, tag.pk))
    for tag in tags:
        tag._state.adding = False
        tag._state.db = event._state.db
    queryset = QuerySet(model=Tag, using=event._state.db)
    queryset._result_cache = tags
    queryset._prefetch_done = True
    event._prefetched_objects_cache = {**getattr(event, "_prefetched_objects_cache", {})}
    event._prefetched_objects_cache[Event.tags.field.name] = queryset


def _people_from_json(rows: list[dict], *, order: tuple[str, str]) -> list:
    """Accounts with their public names from _people_json's objects, sorted by `order` (a
    date and time, then the row's id)."""
    for row in rows:
        row[order[0]] = _json_datetime(row[order[0]])
        row["user__deleted_at"] = _json_datetime(row["user__deleted_at"])
    return _people(sorted(rows, key=lambda row: _people_order(row, order)))


def _people_order(row: dict, order: tuple[str, str]) -> tuple:
    """_people_json's order: by the date (a missing one last), then the row's id."""
    when = row[order[0]]
    return (when is None, when or dt.datetime.min.replace(tzinfo=dt.UTC), row[order[1]])


_NAME_FIELDS = ("display_name", "show_first_name_only", "deleted_at")


def _people(rows: list[dict], using: str = "default") -> list:
    """Accounts from rows of (`user_id`, `user__<field>` for _NAME_FIELDS): enough of each for
    its public name, and nothing else."""
    user_model = get_user_model()
    fields = ("id", *_NAME_FIELDS)
    return [
        user_model.from_db(
            using, fields, [row["user_id"], *(row[f"user__{name}"] for name in _NAME_FIELDS)]
        )
        for row in rows
    ]


_HOSTS_ORDER = ("joined_at", "pk")
_GOING_ORDER = ("created_at", "pk")


def _hosts(*, group) -> QuerySet:
    """The memberships of the people who run `group` (an id or an OuterRef): active organizers
    and hosts. Named on the page of any event the viewer may open: a group's hosts are as
    public as its events."""
    return Membership.objects.filter(
        group_id=group,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
        user__is_active=True,
        user__deleted_at__isnull=True,
    )


def _going(*, event, reader: int) -> QuerySet:
    """The RSVPs of the people going to `event` (an id or an OuterRef) whom the reader may see
    (never someone blocked either way)."""
    return Rsvp.objects.filter(event_id=event, status=Rsvp.Status.GOING).exclude(
        blocked_either_way_q(reader, field="user_id")
    )


def event_gate_group(*, user, slug: str) -> Group | None:
    """For a 404 at an event's address: the group the event belongs to when that group's
    existence is public anyway (a private group listed in the directory), so the page can offer
    to ask to join it; None otherwise, for an event that does not exist as for one of an
    unlisted group, so the two pages are the same. Called once the event was not found for
    the user."""
    group_id = Event.objects.filter(slug=slug).values("group_id")[:1]
    return (
        Group.objects.filter(
            pk=Subquery(group_id),
            visibility=Group.Visibility.PRIVATE,
            listed_when_private=True,
        )
        .exclude(active_member_q(user))
        .first()
    )


def access_managed_event(*, user, slug: str) -> Event:
    """The event, when the user may run it (its group's organizers and hosts); NotFound
    otherwise, so organizer pages are not advertised."""
    if user is None or not user.is_authenticated:
        raise NotFound
    event = access_event(user=user, slug=slug)
    if not can_manage_event(user, event):
        raise NotFound
    return event


def event_get_if_visible(*, user, pk: int) -> Event | None:
    """The event if it still exists and the user may open it; None otherwise (after a change
    that may have removed it)."""
    return Event.objects.visible_to(user).select_related("group").filter(pk=pk).first()


def series_first_occurrence(*, user, series: EventSeries) -> Event | None:
    """The series' earliest date the user may open (the page to show once it is created)."""
    return (
        Event.objects.visible_to(user)
        .filter(series=series)
        .select_related("group")
        .order_by("starts_at", "id")
        .first()
    )


def series_next_occurrence(*, user, series: EventSeries) -> Event | None:
    """The series' next coming, not cancelled date the user may open."""
    return (
        Event.objects.visible_to(user)
        .filter(series=series)
        .upcoming()
        .scheduled()
        .select_related("group")
        .order_by("starts_at", "id")
        .first()
    )


def series_coming_unedited(*, user, series: EventSeries) -> QuerySet:
    """The series' dates still to start and not edited on their own, which stopping the series
    removes or cancels; only those the user may open."""
    return (
        Event.objects.visible_to(user)
        .filter(series=series, edited_from_series=False)
        .not_started()
        .scheduled()
        .order_by("starts_at", "id")
    )


def group_listed_get(*, user, slug: str) -> Group | None:
    """A group listed for the user, by slug (to name the group the event list is narrowed to);
    None when there is no such group they may find."""
    return Group.objects.listed_for(user).filter(slug=slug).first()


def access_group_events(*, user, slug: str) -> Group:
    """A group whose events the user may see (its feed, its new-event page); NotFound
    otherwise."""
    try:
        group = Group.objects.content_visible_to(user).get(slug=slug)
    except Group.DoesNotExist:
        raise NotFound from None
    note_moderator_view(user, group, what="events")
    return group


def _waitlist_ahead():
    """How many waitlisted RSVPs of the same event arrived before this one."""
    return Coalesce(
        Subquery(
            Rsvp.objects.filter(
                event=OuterRef("event"),
                status=Rsvp.Status.WAITLISTED,
                waitlist_position__lt=OuterRef("waitlist_position"),
            )
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def rsvp_for_user(*, user, event: Event) -> Rsvp | None:
    """The user's RSVP to the event, with `place_in_line` (1-based) when on the waitlist."""
    if user is None or not user.is_authenticated:
        return None
    rsvp = (
        Rsvp.objects.filter(event=event, user=user)
        .annotate(ahead=_waitlist_ahead())
        .select_related("event")
        .first()
    )
    if rsvp is not None:
        rsvp.place_in_line = rsvp.ahead + 1 if rsvp.status == Rsvp.Status.WAITLISTED else None
    return rsvp


def event_rsvp_state(
    *, user, event: Event, membership=UNKNOWN, rsvp=UNKNOWN, now: dt.datetime | None = None
) -> RsvpState:
    """Where the user stands with the event's RSVPs (their answer, place in line, whether RSVPs
    are open and why not), for the event page."""
    if rsvp is UNKNOWN:
        rsvp = rsvp_for_user(user=user, event=event)
    if membership is UNKNOWN:
        membership = membership_get(user, event.group)
    signed_in = user is not None and user.is_authenticated
    return rsvp_state(
        event=event,
        rsvp=rsvp,
        signed_in=signed_in,
        is_member=signed_in and is_active_member(user, event.group, membership=membership),
        now=now,
        membership_status=getattr(membership, "status", None),
    )


def waitlist_count(*, event: Event) -> int:
    """People waiting for a seat."""
    return Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED).count()


def event_attendees(*, user, event: Event, membership=UNKNOWN) -> QuerySet:
    """Going and waitlisted RSVPs with their people, for the event's organizers and hosts
    only: NotFound for anyone else. `membership` is the user's, when the page has it."""
    if (
        user is None
        or not user.is_authenticated
        or not can_manage_event(user, event, membership=membership)
    ):
        raise NotFound
    note_moderator_view(user, event.group, subject=event, what="attendees")
    return (
        Rsvp.objects.filter(event=event, status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED])
        .select_related("user")
        .order_by(
            "status",  # "going" sorts before "waitlisted"
            F("waitlist_position").asc(nulls_first=True),
            "created_at",
        )
    )


@dataclass
class MyEvents:
    upcoming: QuerySet
    past: QuerySet


# What "my events" shows of each RSVP, its event and group: the rows carry nothing else (a
# page of sixty-odd columns a row cost more to build and read than the rows' SQL).
MY_EVENTS_FIELDS = (
    "status",
    "guests",
    "user_id",
    "event__title",
    "event__slug",
    "event__starts_at",
    "event__ends_at",
    "event__timezone",
    "event__status",
    "event__group__name",
)


def my_events(*, user) -> MyEvents:
    """The user's going and waitlisted RSVPs (upcoming soonest first, past latest first), for
    events they may still see, annotated with `ahead` (people before them on the waitlist),
    with only the fields the page shows (MY_EVENTS_FIELDS)."""
    rsvps = (
        Rsvp.objects.filter(
            user=user,
            status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
            event__in=Event.objects.visible_to(user),
        )
        .annotate(ahead=_waitlist_ahead())
        .select_related("event", "event__group")
        .only(*MY_EVENTS_FIELDS)
    )
    now = timezone.now()
    return MyEvents(
        upcoming=rsvps.exclude(ended_q(now, prefix="event__")).order_by(
            "event__starts_at", "event_id"
        ),
        past=rsvps.filter(ended_q(now, prefix="event__")).order_by(
            "-event__starts_at", "-event_id"
        ),
    )


def my_standing_rsvps(*, user) -> QuerySet:
    """The series the user goes to every date of (active standing RSVPs) that they may still
    see, by title, each with `date_slug`: their next coming date, else their latest one (the
    page to stop from), with only what "my events" shows of the series. One query."""
    dates = Event.objects.filter(series=OuterRef("series"))
    return (
        SeriesRsvp.objects.active()
        .filter(user=user, series__group__in=Group.objects.content_visible_to(user))
        .select_related("series", "series__group")
        .only(
            "series__title",
            "series__rrule",
            "series__first_starts_at",
            "series__timezone",
            "series__group__name",
        )
        .annotate(
            date_slug=Coalesce(
                Subquery(
                    dates.scheduled()
                    .filter(starts_at__gt=timezone.now())
                    .order_by("starts_at", "pk")
                    .values("slug")[:1]
                ),
                Subquery(dates.order_by("-starts_at", "-pk").values("slug")[:1]),
            )
        )
        .order_by("series__title", "pk")
    )


def calendar_feed_owner(*, token: str):
    """The active account whose private calendar feed this token opens; NotFound otherwise."""
    try:
        return get_user_model().objects.get(
            calendar_token=token, is_active=True, deleted_at__isnull=True
        )
    except get_user_model().DoesNotExist:
        raise NotFound from None


def calendar_feed_events(*, user, past_days: int = 90) -> QuerySet:
    """Events in a user's private calendar feed: going or waitlisted, not long past."""
    since = timezone.now() - dt.timedelta(days=past_days)
    return (
        Event.objects.visible_to(user)
        .filter(
            rsvps__user=user,
            rsvps__status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
            ends_at__gte=since,
        )
        .select_related("group")
        .order_by("starts_at", "id")
    )


def group_upcoming_events(*, group: Group, user, limit: int = 10) -> list[Event]:
    """The next events of a group that the user may see, soonest first, each series once at
    its next date (its page's section), with the viewer's own answers."""
    events = one_per_series(Event.objects.visible_to(user).filter(group=group).upcoming())
    return list(
        with_viewer_answers(events, user=user)
        .select_related("group", "series")
        .order_by("starts_at", "id")[:limit]
    )


def group_feed_events(*, group: Group, past_days: int = 90, limit: int = 500) -> QuerySet:
    """A group's events for its calendar feed (the caller has checked the group is visible)."""
    since = timezone.now() - dt.timedelta(days=past_days)
    return (
        Event.objects.filter(group=group, ends_at__gte=since)
        .select_related("group")
        .order_by("starts_at", "id")[:limit]
    )


@dataclass
class HomeEvents:
    in_my_groups: list
    nearby: list
    newcomer_friendly: list
    next_event: Any = None


# At most this many of a member's interests are matched (each is one more OR in a query).
HOME_INTERESTS = 10


def _interest_match(user) -> Q | None:
    """Events whose title or tags name one of the member's interests (None: no interests)."""
    interests = user.interest_list[:HOME_INTERESTS] if user.is_authenticated else []
    if not interests:
        return None
    match = Q()
    for interest in interests:
        match |= Q(title__icontains=interest) | Q(
            Exists(
                Event.tags.through.objects.filter(event=OuterRef("pk"), tag__name__iexact=interest)
            )
        )
    return match


def _member_point(user) -> tuple[float, float] | None:
    """Where "near you" is for a member: their profile's point, else their town's."""
    if user.latitude is not None and user.longitude is not None:
        return user.latitude, user.longitude
    place = places.locate_town(user.city) if user.city else None
    return (place.latitude, place.longitude) if place is not None else None


def home_events(*, user) -> HomeEvents:
    """What the home page suggests: the member's next event (the soonest they are going to),
    upcoming events in their groups, near them, and picks for their interests and for
    newcomers, each from the events listed for the user, each series once (at its next date) and
    not again in a later section, in a fixed number of queries."""
    upcoming = Event.objects.listed_for(user).upcoming().scheduled()

    def section(events: QuerySet, shown: list, *order: str) -> list[Event]:
        """Each series once, at its next date, and not again when an earlier section has it."""
        shown = [e for e in shown if e is not None]
        events = events.exclude(pk__in=[e.pk for e in shown]).exclude(
            series_id__in=[e.series_id for e in shown if e.series_id]
        )
        events = with_viewer_answers(one_per_series(events), user=user)
        return list(
            events.select_related("group", "series").order_by(*(order or ("starts_at", "id")))[
                :HOME_SECTION_SIZE
            ]
        )

    in_my_groups: list = []
    nearby: list = []
    next_event = None
    if user is not None and user.is_authenticated:
        # One query for the next event and the groups' section: each series at its next date,
        # plus the dates the member is going to (those first, so the soonest is the next event).
        going = Rsvp.objects.filter(event=OuterRef("pk"), user=user, status=Rsvp.Status.GOING)
        mine = upcoming.filter(
            group__memberships__user=user,
            group__memberships__status=Membership.Status.ACTIVE,
        )
        earlier = mine.order_by().filter(
            series_id=OuterRef("series_id"), starts_at__lt=OuterRef("starts_at")
        )
        rows = list(
            with_viewer_answers(
                mine.filter(Q(series__isnull=True) | ~Exists(earlier) | Exists(going)), user=user
            )
            .annotate(i_am_going=Exists(going))
            .select_related("group", "series")
            .order_by("-i_am_going", "starts_at", "id")[: 2 * HOME_SECTION_SIZE + 1]
        )
        if rows and rows[0].i_am_going:
            next_event = rows.pop(0)
        seen_series = {next_event.series_id} if next_event is not None else set()
        for event in sorted(rows, key=lambda e: (e.starts_at, e.pk)):
            if event.series_id is not None:
                if event.series_id in seen_series:
                    continue
                seen_series.add(event.series_id)
            in_my_groups.append(event)
            if len(in_my_groups) == HOME_SECTION_SIZE:
                break
        point = _member_point(user)
        if point is not None:
            nearby = section(
                filter_near(
                    upcoming,
                    lat=point[0],
                    lon=point[1],
                    radius_km=NEARBY_RADIUS_KM,
                ),
                [next_event, *in_my_groups],
            )
    shown = [next_event, *in_my_groups, *nearby]
    if (interests := _interest_match(user)) is not None:
        # One query for both: events matching an interest first, then newcomer-friendly ones.
        picks = upcoming.filter(Q(newcomers_welcome=True) | interests).annotate(
            for_interests=Case(
                When(interests, then=True), default=False, output_field=BooleanField()
            )
        )
        newcomer_friendly = section(picks, shown, "-for_interests", "starts_at", "id")
    else:
        newcomer_friendly = section(upcoming.filter(newcomers_welcome=True), shown)
    # The sections' tags in one query.
    prefetch_related_objects([e for e in [*shown, *newcomer_friendly] if e is not None], "tags")
    return HomeEvents(
        in_my_groups=in_my_groups,
        nearby=nearby,
        newcomer_friendly=newcomer_friendly,
        next_event=next_event,
    )


# The organizer workspace's reads. Each checks that the user runs the group (organizers and
# hosts; site moderators inside a session) and raises NotFound otherwise.


def _require_runs(user, group: Group, membership=UNKNOWN) -> None:
    if user is None or not user.is_authenticated:
        raise NotFound
    if not can_manage_events(user, group, membership=membership):
        raise NotFound


def _with_attendance(queryset: QuerySet) -> QuerySet:
    going = Q(rsvps__status=Rsvp.Status.GOING)
    return queryset.annotate(
        going_count=Count("rsvps", filter=going),
        waitlisted_count=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.WAITLISTED)),
        checked_in_count=Count("rsvps", filter=going & Q(rsvps__checked_in_at__isnull=False)),
        checked_in_seats=Coalesce(
            Sum(F("rsvps__guests") + 1, filter=going & Q(rsvps__checked_in_at__isnull=False)),
            0,
        ),
        walk_in_count=Coalesce(
            Subquery(
                WalkIn.objects.filter(event=OuterRef("pk"))
                .order_by()
                .values("event")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
    )


def workspace_events(
    *, user, group: Group, membership=UNKNOWN, past: bool = False, limit: int | None = 10
) -> list[Event]:
    """The group's coming events (soonest first) or past ones (latest first) with their head
    counts: going, waitlisted, checked in (people and seats) and walk-ins."""
    _require_runs(user, group, membership)
    now = timezone.now()
    events = Event.objects.filter(group=group).select_related("group")
    events = (
        events.past(now).order_by("-starts_at", "-id")
        if past
        else events.upcoming(now).order_by("starts_at", "id")
    )
    events = _with_attendance(events)
    return list(events[:limit] if limit else events)


def workspace_events_around(
    *, user, group: Group, membership=UNKNOWN, upcoming: int, past: int
) -> tuple[list[Event], list[Event]]:
    """The group's next `upcoming` events (soonest first) and its latest `past` ones (latest
    first), with their head counts (as workspace_events), in one query."""
    _require_runs(user, group, membership)
    now = timezone.now()
    events = Event.objects.filter(group=group)
    coming = events.upcoming(now).order_by("starts_at", "id").values("pk")[:upcoming]
    gone = events.past(now).order_by("-starts_at", "-id").values("pk")[:past]
    rows = list(
        _with_attendance(
            # The group's own rows first: the two short lists pick among them.
            events.filter(Q(pk__in=coming) | Q(pk__in=gone)).select_related("group")
        )
        .annotate(is_coming=Q(pk__in=coming))
        .order_by("starts_at", "id")
    )
    return (
        [event for event in rows if event.is_coming],
        [event for event in reversed(rows) if not event.is_coming],
    )


def workspace_summary(*, user, group_ids) -> dict[int, dict[str, int]]:
    """For each of the user's groups among `group_ids` (those they run): how many coming events
    and how many people are waiting for a seat at them. Two queries whatever the number."""
    groups = Group.objects.run_by(user).filter(pk__in=list(group_ids))
    now = timezone.now()
    summary: dict[int, dict[str, int]] = {}
    for row in (
        Event.objects.filter(group__in=groups)
        .upcoming(now)
        .scheduled()
        .values("group_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        summary.setdefault(row["group_id"], {})["upcoming"] = row["n"]
    for row in (
        Rsvp.objects.filter(event__group__in=groups, status=Rsvp.Status.WAITLISTED)
        .exclude(ended_q(now, prefix="event__"))
        .values("event__group_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        summary.setdefault(row["event__group_id"], {})["waiting"] = row["n"]
    return summary


def access_workspace_event(*, user, group: Group, slug: str, membership=UNKNOWN) -> Event:
    """One of the group's events, with its head counts, for those who run the group; NotFound
    otherwise (and for another group's event)."""
    _require_runs(user, group, membership)
    event = _with_attendance(
        Event.objects.filter(group=group, slug=slug).select_related("group", "series")
    ).first()
    if event is None:
        raise NotFound
    return event


@dataclass
class CheckInList:
    going: list
    walk_ins: list


def check_in_list(*, user, event: Event, membership=UNKNOWN) -> CheckInList:
    """People going (with guests, by name) and walk-ins, for the door; those who run the
    group only."""
    _require_runs(user, event.group, membership)
    going = list(
        Rsvp.objects.filter(event=event, status=Rsvp.Status.GOING)
        .select_related("user")
        .order_by("user__display_name", "pk")
    )
    return CheckInList(going=going, walk_ins=_walk_ins(event))


def _walk_ins(event: Event) -> list[WalkIn]:
    return list(WalkIn.objects.filter(event=event).order_by("created_at", "pk"))


def event_walk_ins(*, user, event: Event, membership=UNKNOWN) -> list[WalkIn]:
    """The event's walk-ins (check_in_list's, without the people going), for those who run
    the group only. One query."""
    _require_runs(user, event.group, membership)
    return _walk_ins(event)


def access_check_in_rsvp(*, user, rsvp_pk: int | None) -> Rsvp:
    """The RSVP a check-in code names, with its event and person, for those who run the
    event's group; NotFound for anyone else and for a code not made here."""
    if rsvp_pk is None or user is None or not user.is_authenticated:
        raise NotFound
    rsvp = Rsvp.objects.select_related("event", "event__group", "user").filter(pk=rsvp_pk).first()
    if rsvp is None or not can_manage_event(user, rsvp.event):
        raise NotFound
    return rsvp


def access_walk_in(*, user, event: Event, pk: int) -> WalkIn:
    """A walk-in of the event, for those who run its group; NotFound otherwise."""
    _require_runs(user, event.group)
    walk_in = WalkIn.objects.filter(event=event, pk=pk).first()
    if walk_in is None:
        raise NotFound
    return walk_in


def access_going_rsvp(*, user, event: Event, pk: int, membership=UNKNOWN) -> Rsvp:
    """An RSVP going to the event, with its person, for those who run its group; NotFound
    otherwise."""
    return _event_rsvp(user, event, pk, membership, Rsvp.Status.GOING)


def access_waitlisted_rsvp(*, user, event: Event, pk: int, membership=UNKNOWN) -> Rsvp:
    """A waitlisted RSVP to the event, with its person, for those who run its group; NotFound
    otherwise."""
    return _event_rsvp(user, event, pk, membership, Rsvp.Status.WAITLISTED)


def _event_rsvp(user, event: Event, pk: int, membership, status: str) -> Rsvp:
    _require_runs(user, event.group, membership)
    rsvp = Rsvp.objects.filter(event=event, pk=pk, status=status).select_related("user").first()
    if rsvp is None:
        raise NotFound
    return rsvp


@dataclass
class AttendanceHistory:
    member: Membership
    rsvps: list
    came: int
    missed: int


def member_attendance(
    *, user, group: Group, member_id: int, membership=UNKNOWN, limit: int = 100
) -> AttendanceHistory:
    """An active member's RSVPs going to the group's past events (latest first) and whether
    they came, for those who run the group; NotFound for anyone else and for someone who is
    not an active member."""
    _require_runs(user, group, membership)
    member = (
        Membership.objects.filter(group=group, user_id=member_id, status=Membership.Status.ACTIVE)
        .select_related("user")
        .first()
    )
    if member is None:
        raise NotFound
    now = timezone.now()
    rsvps = list(
        Rsvp.objects.filter(
            user_id=member_id,
            event__group=group,
            status=Rsvp.Status.GOING,
            event__status=Event.Status.SCHEDULED,
        )
        .filter(ended_q(now, prefix="event__"))
        .select_related("event", "event__group")
        .order_by("-event__starts_at", "-pk")[:limit]
    )
    came = sum(1 for r in rsvps if r.checked_in_at is not None)
    return AttendanceHistory(member=member, rsvps=rsvps, came=came, missed=len(rsvps) - came)


def attendance_between(
    *, user, group: Group, start: dt.datetime, end: dt.datetime, membership=UNKNOWN
) -> tuple[list, list]:
    """The group's past events starting in [start, end): their going RSVPs (with people) and
    walk-ins, for those who run the group; two queries."""
    _require_runs(user, group, membership)
    events = (
        Event.objects.filter(group=group, starts_at__gte=start, starts_at__lt=end)
        .scheduled()
        .past()
    )
    rsvps = list(
        Rsvp.objects.filter(event__in=events, status=Rsvp.Status.GOING)
        .select_related("event", "user")
        .order_by("event__starts_at", "event_id", "user__display_name", "pk")
    )
    walk_ins = list(
        WalkIn.objects.filter(event__in=events)
        .select_related("event")
        .order_by("event__starts_at", "event_id", "pk")
    )
    return rsvps, walk_ins


@dataclass
class StandingRsvpState:
    """A series date's standing-RSVP control: the series, and whether the viewer keeps a
    standing RSVP to it."""

    series: EventSeries
    keeps: bool


def standing_rsvp_state(*, user, event: Event, membership=UNKNOWN) -> StandingRsvpState | None:
    """What the event page offers about going to every date: None unless the event is a date
    of a series that still repeats and the viewer may keep a standing RSVP to it (an active
    member). No query when the event came from event_page (`own_standing_rsvp`), else one."""
    if event.series_id is None or user is None or not user.is_authenticated:
        return None
    if membership == "":  # not in the template's context
        membership = UNKNOWN
    series = event.series
    series.group = event.group
    if not can_keep_standing_rsvp(user, series, membership=membership):
        return None
    keeps = getattr(event, "own_standing_rsvp", None)
    if keeps is None:
        keeps = SeriesRsvp.objects.active().filter(series=series, user=user).exists()
    return StandingRsvpState(series=series, keeps=keeps)


@dataclass
class StandingRsvpPreview:
    """What going to every date, or stopping, would do: the series' coming dates with the
    viewer's answer to each (`viewer_status`), and their standing RSVP if they keep one."""

    event: Event
    series: EventSeries
    standing: SeriesRsvp | None
    dates: list
    may_start: bool


STANDING_PREVIEW_DATES = 20


def standing_rsvp_preview(*, user, slug: str) -> StandingRsvpPreview:
    """For the confirmation page of a series date (`slug`): its series' coming dates (not
    started, not cancelled) with the viewer's answers. NotFound when the event is hidden from
    the viewer or is no date of a series."""
    event = access_event(user=user, slug=slug)
    if event.series is None:
        raise NotFound
    series = event.series
    series.group = event.group
    standing = None
    if user is not None and user.is_authenticated:
        standing = SeriesRsvp.objects.active().filter(series=series, user=user).first()
    dates = list(
        with_viewer_answers(
            Event.objects.filter(series=series).not_started().scheduled(), user=user
        ).order_by("starts_at", "id")[:STANDING_PREVIEW_DATES]
    )
    return StandingRsvpPreview(
        event=event,
        series=series,
        standing=standing,
        dates=dates,
        may_start=can_keep_standing_rsvp(user, series),
    )


EMPTY_SEARCH_GROUPS = 5


def private_groups_for_search(*, user, filters: Mapping[str, Any]) -> list[Group]:
    """When a search finds no events: private groups listed for the user (those that chose to be
    found: name, description and how to ask to join) that match the search's words, category
    and place, shown as groups. Their events stay hidden: only the group is offered."""
    groups = Group.objects.listed_for(user).filter(visibility=Group.Visibility.PRIVATE)
    text = (filters.get("text") or "").split()
    for word in text:
        groups = groups.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if category := filters.get("category"):
        groups = groups.filter(category=category)
    lat, lon, radius = filters.get("lat"), filters.get("lon"), filters.get("radius_km")
    near = lat is not None and lon is not None and radius
    if near:
        groups = filter_near(groups, lat=lat, lon=lon, radius_km=radius)
    if not (text or category or near):
        return []
    return list(groups.order_by("name", "pk")[:EMPTY_SEARCH_GROUPS])


def group_timezone(*, group: Group) -> str:
    """The zone a new event of the group starts in: its latest event's or series', else the
    site's (core.timezones.site_timezone), never UTC by surprise. For its organizers' forms."""
    latest = Event.objects.filter(group=group).order_by("-created_at", "-pk").values("timezone")[:1]
    zone = latest[0]["timezone"] if latest else None
    return zone if zone in timezone_names() else site_timezone()
