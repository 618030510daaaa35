"""The numbers behind the dashboard's charts, read in one place and in a fixed number of queries
(four) whatever the length of the group's history: attendance per past event, first-timers and
returning attendees per month, members active in the last 30 and 90 days, the no-show rate and
verified volunteer hours per month. Only for those who run the group (the dashboard's viewers);
counts only, never names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.exceptions import NotFound
from events.models import Event, Rsvp
from groups import permissions
from groups.models import Group
from volunteering.models_hours import HoursEntry

MONTHS = 12
EVENTS_SHOWN = 12


@dataclass(frozen=True)
class EventAttendance:
    title: str
    starts_at: dt.datetime
    going: int
    came: int

    @property
    def no_shows(self) -> int:
        return max(self.going - self.came, 0)


@dataclass(frozen=True)
class Month:
    start: dt.date
    first_timers: int = 0
    returning: int = 0
    volunteer_minutes: int = 0

    @property
    def volunteer_hours(self) -> float:
        return round(self.volunteer_minutes / 60, 1)


@dataclass
class Insight:
    events: list[EventAttendance] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)
    active_30: int = 0
    active_90: int = 0
    no_show_rate: int | None = None  # percent of seats booked by people who did not come


def _month_starts(today: dt.date, count: int) -> list[dt.date]:
    year, month = today.year, today.month
    starts = []
    for _i in range(count):
        starts.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def group_insight(*, group: Group, user, membership=permissions.UNKNOWN, now=None) -> Insight:
    """The dashboard's numbers for the last twelve months; NotFound unless `user` runs the
    group. An event counts once it has started; "came" is a check-in at the door."""
    if not permissions.can_manage_events(user, group, membership=membership):
        raise NotFound
    now = now or timezone.now()
    months = _month_starts(timezone.localdate(now), MONTHS)
    since = timezone.make_aware(dt.datetime.combine(months[0], dt.time.min))
    past = Event.objects.filter(
        group=group, status=Event.Status.SCHEDULED, starts_at__lt=now, starts_at__gte=since
    )

    # 1. Attendance per event (the latest ones), going against came.
    rows = list(
        past.annotate(
            going=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING)),
            came=Count("rsvps", filter=Q(rsvps__checked_in_at__isnull=False)),
        )
        .order_by("-starts_at", "-pk")
        .values("title", "starts_at", "going", "came")[:EVENTS_SHOWN]
    )
    events = [EventAttendance(**row) for row in reversed(rows)]

    # 2. Each check-in of the period with the person's first check-in in the group ever.
    first_seen = (
        Rsvp.objects.filter(
            event__group=group, user_id=OuterRef("user_id"), checked_in_at__isnull=False
        )
        .values("user_id")
        .annotate(first=Min("event__starts_at"))
        .values("first")[:1]
    )
    visits = (
        Rsvp.objects.filter(event__in=past, checked_in_at__isnull=False)
        .annotate(first=Subquery(first_seen))
        .values_list("event__starts_at", "first")
    )
    firsts: dict[dt.date, int] = {}
    returning: dict[dt.date, int] = {}
    for starts_at, first in visits:
        month = timezone.localtime(starts_at).date().replace(day=1)
        bucket = firsts if first == starts_at else returning
        bucket[month] = bucket.get(month, 0) + 1

    # 3. Seats booked and seats used over the period, and who was active lately.
    totals = Rsvp.objects.filter(event__in=past).aggregate(
        came=Count("pk", filter=Q(checked_in_at__isnull=False)),
        going_checked=Count(
            "pk",
            filter=Q(status=Rsvp.Status.GOING)
            & Q(event__in=past.filter(rsvps__checked_in_at__isnull=False)),
        ),
        active_30=Count(
            "user_id",
            distinct=True,
            filter=Q(event__starts_at__gte=now - dt.timedelta(days=30))
            & (Q(status=Rsvp.Status.GOING) | Q(checked_in_at__isnull=False)),
        ),
        active_90=Count(
            "user_id",
            distinct=True,
            filter=Q(event__starts_at__gte=now - dt.timedelta(days=90))
            & (Q(status=Rsvp.Status.GOING) | Q(checked_in_at__isnull=False)),
        ),
    )
    # Only events where the door list was used say anything about no-shows.
    no_show_rate = None
    if totals["going_checked"]:
        no_show_rate = round(
            100 * max(totals["going_checked"] - totals["came"], 0) / totals["going_checked"]
        )

    # 4. Verified volunteer hours per month.
    minutes = dict(
        HoursEntry.objects.verified()
        .filter(project__group=group, worked_on__gte=months[0], worked_on__lte=now.date())
        .annotate(month=TruncMonth("worked_on"))
        .values("month")
        .annotate(total=Sum(F("minutes")))
        .values_list("month", "total")
    )
    minutes = {_as_date(key): value for key, value in minutes.items()}

    return Insight(
        events=events,
        months=[
            Month(
                start=start,
                first_timers=firsts.get(start, 0),
                returning=returning.get(start, 0),
                volunteer_minutes=minutes.get(start, 0) or 0,
            )
            for start in months
        ],
        active_30=totals["active_30"],
        active_90=totals["active_90"],
        no_show_rate=no_show_rate,
    )
