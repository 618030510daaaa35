"""Reads of events, limited to what the user may see, with related rows fetched up front."""

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.exceptions import NotFound
from core.geo import filter_near, snap  # noqa: F401 - snap: the tests measure with it
from events.models import Event, EventSeries, Rsvp, ended_q
from events.permissions import can_manage_event
from events.rsvp_state import RsvpState, rsvp_state
from groups.models import Group, Membership
from groups.permissions import UNKNOWN, is_active_member, membership_get

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


def event_list_visible(*, user, filters: Mapping[str, Any] | None = None) -> QuerySet:
    """Events listed for the user (never unlisted or others' private groups' events), narrowed by
    `filters`: text, date_from, date_to (dates in the user's time zone), category, group (slug),
    mode ("online" / "in_person"), lat + lon + radius_km, include_past."""
    filters = filters or {}
    events = Event.objects.listed_for(user)

    if not filters.get("include_past"):
        events = events.upcoming()

    for word in (filters.get("text") or "").split():
        events = events.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(group__name__icontains=word)
        )

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
        return (
            Event.objects.visible_to(user)
            .select_related("group", "series")
            .prefetch_related("tags")
            .get(slug=slug)
        )
    except Event.DoesNotExist:
        raise NotFound from None


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
        return Group.objects.content_visible_to(user).get(slug=slug)
    except Group.DoesNotExist:
        raise NotFound from None


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


def home_events(*, user) -> HomeEvents:
    """What the home page suggests: upcoming events in the user's groups, near them, and
    newcomer-friendly picks, each from the events listed for the user."""
    upcoming = _with_related(Event.objects.listed_for(user).upcoming().scheduled()).order_by(
        "starts_at", "id"
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
        if user.latitude is not None and user.longitude is not None:
            nearby = list(
                filter_near(
                    upcoming,
                    lat=user.latitude,
                    lon=user.longitude,
                    radius_km=NEARBY_RADIUS_KM,
                ).exclude(pk__in=[e.pk for e in in_my_groups])[:HOME_SECTION_SIZE]
            )
    shown = [e.pk for e in in_my_groups + nearby]
    newcomer_friendly = list(
        upcoming.filter(newcomers_welcome=True).exclude(pk__in=shown)[:HOME_SECTION_SIZE]
    )
    return HomeEvents(in_my_groups=in_my_groups, nearby=nearby, newcomer_friendly=newcomer_friendly)
