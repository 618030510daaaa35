"""Reads of events, limited to what the user may see, with related rows fetched up front."""

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import (
    Coalesce,
)
from django.utils import timezone

from core import places
from core.exceptions import NotFound
from core.geo import filter_near, snap  # noqa: F401 - snap: the tests measure with it
from events.models import Event, EventSeries, Rsvp, WalkIn, ended_q
from events.permissions import can_manage_event
from events.rsvp_state import RsvpState, rsvp_state
from groups.models import Group, Membership
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


class EqualsAnyOf(Func):
    """`column = ANY(ARRAY(subquery))` (PostgreSQL): the subquery runs once, before the scan,
    and the column's index can serve the match, which `IN (subquery)` inside an OR cannot."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        column_sql, column_params = compiler.compile(self.source_expressions[0])
        subquery_sql, subquery_params = compiler.compile(self.source_expressions[1])
        return f"{column_sql} = ANY(ARRAY{subquery_sql})", (*column_params, *subquery_params)


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
    return columns | Q(group_named) | (Q(city="") & Q(group_in_town))


def event_list_visible(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet:
    """Events listed for the user (never unlisted or others' private groups' events), narrowed by
    `filters`: text (title, description, venue, town, group), date_from, date_to (dates in the
    user's time zone), category, group (slug),
    mode ("online" / "in_person"), lat + lon + radius_km, include_past."""
    filters = filters or {}
    events = Event.objects.listed_for(user)

    if not filters.get("include_past"):
        events = events.upcoming()

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


_MEMBERSHIP_FIELDS = ("pk", "role", "status", "joined_at")


def event_page(*, user, slug: str) -> EventPage:
    """The event the user may open (as access_event), with what its page needs in the same
    query: how many are waiting, and the user's own membership of its group (any status, as
    groups.permissions.membership_get gives it). NotFound when it does not exist for them."""
    events = Event.objects.visible_to(user).annotate(
        waitlisted=Coalesce(
            Subquery(
                Rsvp.objects.filter(event=OuterRef("pk"), status=Rsvp.Status.WAITLISTED)
                .order_by()
                .values("event")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        )
    )
    signed_in = user is not None and user.is_authenticated
    if signed_in:
        own = Membership.objects.filter(group=OuterRef("group_id"), user=user)
        events = events.annotate(
            **{
                f"own_membership_{name}": Subquery(own.values(name)[:1])
                for name in _MEMBERSHIP_FIELDS
            }
        )
    try:
        event = events.select_related("group", "series").prefetch_related("tags").get(slug=slug)
    except Event.DoesNotExist:
        raise NotFound from None
    membership = None
    if signed_in and event.own_membership_pk is not None:
        membership = Membership(
            pk=event.own_membership_pk,
            group=event.group,
            user=user,
            role=event.own_membership_role,
            status=event.own_membership_status,
            joined_at=event.own_membership_joined_at,
        )
        membership._state.adding = False
        membership._state.db = event._state.db
    note_moderator_view(
        user, event.group, membership=membership if signed_in else UNKNOWN, subject=event
    )
    return EventPage(event=event, membership=membership, waitlist_count=event.waitlisted)


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
    )


def waitlist_count(*, event: Event) -> int:
    """People waiting for a seat."""
    return Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED).count()


def event_attendees(*, user, event: Event) -> QuerySet:
    """Going and waitlisted RSVPs with their people, for the event's organizers and hosts
    only: NotFound for anyone else."""
    if user is None or not user.is_authenticated or not can_manage_event(user, event):
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


def my_events(*, user) -> MyEvents:
    """The user's going and waitlisted RSVPs (upcoming soonest first, past latest first), for
    events they may still see, annotated with `ahead` (people before them on the waitlist)."""
    rsvps = (
        Rsvp.objects.filter(
            user=user,
            status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
            event__in=Event.objects.visible_to(user),
        )
        .annotate(ahead=_waitlist_ahead())
        .select_related("event", "event__group")
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
    """The next events of a group that the user may see, soonest first (its page's section)."""
    return list(
        Event.objects.visible_to(user)
        .filter(group=group)
        .upcoming()
        .select_related("group")
        .order_by("starts_at")[:limit]
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


def _member_point(user) -> tuple[float, float] | None:
    """Where "near you" is for a member: their profile's point, else their town's."""
    if user.latitude is not None and user.longitude is not None:
        return user.latitude, user.longitude
    place = places.locate_town(user.city) if user.city else None
    return (place.latitude, place.longitude) if place is not None else None


def home_events(*, user) -> HomeEvents:
    """What the home page suggests: upcoming events in the user's groups, near them, and
    newcomer-friendly picks, each from the events listed for the user."""
    upcoming = (
        Event.objects.listed_for(user)
        .upcoming()
        .scheduled()
        .select_related("group")
        .order_by("starts_at", "id")
    )
    in_my_groups: list = []
    nearby: list = []
    if user is not None and user.is_authenticated:
        in_my_groups = list(
            upcoming.filter(
                group__memberships__user=user,
                group__memberships__status=Membership.Status.ACTIVE,
            )[:HOME_SECTION_SIZE]
        )
        point = _member_point(user)
        if point is not None:
            nearby = list(
                filter_near(
                    upcoming,
                    lat=point[0],
                    lon=point[1],
                    radius_km=NEARBY_RADIUS_KM,
                ).exclude(pk__in=[e.pk for e in in_my_groups])[:HOME_SECTION_SIZE]
            )
    shown = [e.pk for e in in_my_groups + nearby]
    newcomer_friendly = list(
        upcoming.filter(newcomers_welcome=True).exclude(pk__in=shown)[:HOME_SECTION_SIZE]
    )
    # The three sections' tags in one query.
    prefetch_related_objects(in_my_groups + nearby + newcomer_friendly, "tags")
    return HomeEvents(in_my_groups=in_my_groups, nearby=nearby, newcomer_friendly=newcomer_friendly)


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
    walk_ins = list(WalkIn.objects.filter(event=event).order_by("created_at", "pk"))
    return CheckInList(going=going, walk_ins=walk_ins)


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
