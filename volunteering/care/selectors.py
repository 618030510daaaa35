"""Reads of care calendars, limited to what the viewer may see. `access_*` return the thing or
raise core's NotFound (a calendar one may not open does not exist for them)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from core.exceptions import NotFound
from core.joined import joined, joined_fields
from groups.models import Group
from groups.permissions import UNKNOWN, is_active_member
from volunteering.care.permissions import (
    can_coordinate_care,
    can_view_care_calendar,
    care_facts_of,
    private_visible_q,
    with_care_facts,
)
from volunteering.care_models import (
    CareCalendar,
    CareCoordinator,
    CareSignup,
    CareSlot,
    CareSlotSeries,
    CareUpdate,
)


def access_care_calendar(*, user, code: str):
    """The calendar and the viewer's facts (one query), or NotFound."""
    calendar = with_care_facts(
        CareCalendar.objects.select_related("group", "recipient").filter(code=code), user
    ).first()
    if calendar is None:
        raise NotFound
    facts = care_facts_of(user, calendar)
    if not can_view_care_calendar(user, calendar, facts=facts):
        raise NotFound
    return calendar, facts


def access_care_calendar_page(*, user, code: str):
    """As `access_care_calendar`, with the calendar's coordinators and their accounts (in the
    order they were added) read in the same query (core.joined: a row per coordinator):
    the calendar, the viewer's facts and the coordinators, or NotFound."""
    rows = list(
        with_care_facts(
            CareCalendar.objects.select_related("group", "recipient").filter(code=code), user
        )
        .annotate(
            **joined_fields(CareCoordinator, "coordinators", "coordinator_"),
            **joined_fields(get_user_model(), "coordinators__user", "account_"),
        )
        .order_by("coordinators__pk")
    )
    if not rows:
        raise NotFound
    calendar = rows[0]
    facts = care_facts_of(user, calendar)
    if not can_view_care_calendar(user, calendar, facts=facts):
        raise NotFound
    coordinators = []
    for row in rows:
        coordinator = joined(row, CareCoordinator, "coordinator_")
        if coordinator is not None:
            coordinator.calendar = calendar
            coordinator.user = joined(row, get_user_model(), "account_")
            coordinators.append(coordinator)
    return calendar, facts, coordinators


def access_coordinated_care_calendar(*, user, code: str):
    """As `access_care_calendar`, for coordinators only (anyone else: NotFound, the same
    answer a stranger gets, so the page says nothing)."""
    calendar, facts = access_care_calendar(user=user, code=code)
    if not can_coordinate_care(user, calendar, facts=facts):
        raise NotFound
    return calendar, facts


def access_care_slot(*, calendar: CareCalendar, slot_id: int) -> CareSlot:
    slot = CareSlot.objects.filter(calendar=calendar, pk=slot_id).first()
    if slot is None:
        raise NotFound
    slot.calendar = calendar
    return slot


def access_care_series(*, calendar: CareCalendar, series_id: int) -> CareSlotSeries:
    """A repeating slot of the calendar (whose access the caller checked), or NotFound."""
    series = CareSlotSeries.objects.filter(calendar=calendar, pk=series_id).first()
    if series is None:
        raise NotFound
    series.calendar = calendar
    return series


def access_care_invitation(*, token: str) -> CareCalendar:
    """The calendar an invitation link opens (open calendars only), or NotFound."""
    calendar = (
        CareCalendar.objects.select_related("group")
        .filter(invitation_token=token, status=CareCalendar.Status.OPEN)
        .first()
    )
    if calendar is None or not token:
        raise NotFound
    return calendar


def care_calendar_slots(*, calendar: CareCalendar, now: dt.datetime | None = None):
    """The calendar's coming slots with their confirmed helpers (a page of them costs two
    queries)."""
    now = now or timezone.now()
    confirmed = CareSignup.objects.filter(status=CareSignup.Status.CONFIRMED).select_related("user")
    return (
        CareSlot.objects.filter(calendar=calendar)
        .upcoming(now)
        .select_related("series")
        .prefetch_related(Prefetch("signups", queryset=confirmed, to_attr="confirmed_signups"))
        .order_by("starts_at", "pk")
    )


def care_calendar_updates(*, calendar: CareCalendar, limit: int = 20):
    return CareUpdate.objects.filter(calendar=calendar).select_related("author")[:limit]


def care_coordinators(*, calendar: CareCalendar):
    return CareCoordinator.objects.filter(calendar=calendar).select_related("user").order_by("pk")


def care_calendars_for(*, user, search: str = "", group: Group | None = None):
    """Calendars the user may open, newest first, each annotated with `shows_private` (the
    address rule in SQL) and the count of its coming open slots still needing help. `search`
    looks in the title, who it is for and what is going on; never in the address or private
    notes, so a search cannot tell anyone what they hold."""
    now = timezone.now()
    calendars = (
        CareCalendar.objects.visible_to(user)
        .select_related("group")
        .annotate(
            open_slots=Count(
                "slots",
                filter=Q(
                    slots__status=CareSlot.Status.OPEN,
                    slots__starts_at__gt=now,
                    slots__seats_taken__lt=F("slots__capacity"),
                ),
            )
        )
    )
    if group is not None:
        calendars = calendars.filter(group=group)
    if search:
        calendars = calendars.filter(
            Q(title__icontains=search)
            | Q(recipient_name__icontains=search)
            | Q(about__icontains=search)
        )
    return calendars.order_by("-created_at", "-pk")


def care_calendars_with_private(*, user):
    """Ids of the calendars whose address the user may read (for a list that shows it)."""
    return CareCalendar.objects.visible_to(user).filter(private_visible_q(user))


def group_care_calendars(*, group: Group, user, membership=UNKNOWN):
    """A group page's care calendars: only those the viewer may open, and only for the group's
    active members (an outsider of a public group sees none, not even a count). `membership`
    is the viewer's, when the page has it."""
    if not is_active_member(user, group, membership=membership):
        return CareCalendar.objects.none()
    return (
        CareCalendar.objects.visible_to(user)
        .filter(group=group, status=CareCalendar.Status.OPEN)
        .order_by("-created_at", "-pk")[:10]
    )


def my_care_slots(*, user, now: dt.datetime | None = None):
    """The helper's confirmed coming slots, with their calendars (for the feed and pages),
    among calendars they may still open."""
    now = now or timezone.now()
    visible = CareCalendar.objects.visible_to(user)
    return (
        CareSignup.objects.filter(
            user=user,
            status=CareSignup.Status.CONFIRMED,
            slot__status=CareSlot.Status.OPEN,
            slot__ends_at__gt=now,
            slot__calendar__in=visible,
        )
        .select_related("slot__calendar__group")
        .order_by("slot__starts_at", "pk")
    )


def care_feed_owner(*, token: str):
    from django.contrib.auth import get_user_model

    user = (
        get_user_model()
        .objects.filter(calendar_token=token, is_active=True, deleted_at__isnull=True)
        .first()
    )
    if user is None or not token:
        raise NotFound
    return user
