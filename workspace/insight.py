"""The numbers behind the dashboard's charts, read in one place and in a fixed number of queries
whatever the length of the group's history: attendance per past event, first-timers and
returning attendees per month, members active in the last 30 and 90 days, the no-show rate and
verified volunteer hours per month. Only for those who run the group (the dashboard's viewers);
counts only, never names.

Two reads: one row per event of the period (`group_insight`), and single numbers (people active
lately, verified minutes per month) as expressions (`insight_counts`) that the dashboard reads
in its one query of counts (groups.selectors.counts_in_one); alone, they are a second query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.exceptions import NotFound
from core.header import count_of
from events.models import Event, Rsvp
from groups import permissions
from groups.models import Group
from groups.selectors import counts_in_one
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


def _require_runs(user, group: Group, membership) -> None:
    if not permissions.can_manage_events(user, group, membership=membership):
        raise NotFound


@dataclass(frozen=True)
class _Period:
    """The twelve months up to `now` (in Django's current time zone, TIME_ZONE: UTC) and the
    events that took place in them."""

    now: dt.datetime
    months: list[dt.date]

    @classmethod
    def up_to(cls, now: dt.datetime) -> _Period:
        return cls(now=now, months=_month_starts(timezone.localdate(now), MONTHS))

    @property
    def since(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.months[0], dt.time.min))

    def past_events(self, group: Group, prefix: str = "") -> dict:
        """The filter for the group's events of the period (through `prefix`, from another row)."""
        return {
            f"{prefix}group": group,
            f"{prefix}status": Event.Status.SCHEDULED,
            f"{prefix}starts_at__lt": self.now,
            f"{prefix}starts_at__gte": self.since,
        }


def _scalar(queryset, sql_function: str, column: str, *, distinct: bool = False):
    """`sql_function(column)` over `queryset`'s rows as a scalar subquery (0 when none)."""
    value = Func(F(column), function=sql_function, output_field=IntegerField())
    if distinct:
        value.template = "%(function)s(DISTINCT %(expressions)s)"
    return Coalesce(Subquery(queryset.order_by().annotate(_v=value).values("_v")[:1]), 0)


def insight_counts(*, group: Group, user, membership=permissions.UNKNOWN, now=None) -> dict:
    """The insight's single numbers for the period up to `now`, as expressions named
    `insight_*`: people active (going or checked in) in the last 30 and 90 days, and the
    verified volunteer minutes of each month. NotFound unless `user` runs the group."""
    _require_runs(user, group, membership)
    period = _Period.up_to(now or timezone.now())
    came_or_going = Q(status=Rsvp.Status.GOING) | Q(checked_in_at__isnull=False)
    rsvps = Rsvp.objects.filter(came_or_going, **period.past_events(group, prefix="event__"))
    counts = {
        f"insight_active_{days}": _scalar(
            rsvps.filter(event__starts_at__gte=period.now - dt.timedelta(days=days)),
            "COUNT",
            "user_id",
            distinct=True,
        )
        for days in (30, 90)
    }
    verified = HoursEntry.objects.verified().filter(
        project__group=group, worked_on__lte=period.now.date()
    )
    ends = [*period.months[1:], None]
    for index, (start, end) in enumerate(zip(period.months, ends, strict=True)):
        in_month = verified.filter(worked_on__gte=start)
        if end is not None:
            in_month = in_month.filter(worked_on__lt=end)
        counts[f"insight_minutes_{index}"] = _scalar(in_month, "SUM", "minutes")
    return counts


def group_insight(
    *, group: Group, user, membership=permissions.UNKNOWN, now=None, counted=None
) -> Insight:
    """The dashboard's numbers for the last twelve months; NotFound unless `user` runs the
    group. An event counts once it has started; "came" is a check-in at the door. `counted`:
    the values of `insight_counts` for the same `now`, read with the page's other counts;
    without it they are read here, in a second query."""
    _require_runs(user, group, membership)
    now = now or timezone.now()
    period = _Period.up_to(now)
    if counted is None:
        counted = counts_in_one(
            group=group,
            counts=insight_counts(group=group, user=user, membership=membership, now=now),
        )

    # Every event of the period, latest first: going against came, and how many of those who
    # came had never checked in at an earlier event of the group (first-timers).
    earlier_check_in = Rsvp.objects.filter(
        user_id=OuterRef("user_id"),
        checked_in_at__isnull=False,
        event__group=group,
        event__starts_at__lt=OuterRef(OuterRef("starts_at")),
    )
    first_timers = Rsvp.objects.filter(event=OuterRef("pk"), checked_in_at__isnull=False).filter(
        ~Exists(earlier_check_in)
    )
    rows = list(
        Event.objects.filter(**period.past_events(group))
        .annotate(
            # Each a subquery of its own: counted with a join and GROUP BY, the first-timers'
            # subquery (grouped on too) would run once per RSVP instead of once per event.
            going=count_of(Rsvp.objects.filter(event=OuterRef("pk"), status=Rsvp.Status.GOING)),
            came=count_of(Rsvp.objects.filter(event=OuterRef("pk"), checked_in_at__isnull=False)),
            first_timers=count_of(first_timers),
        )
        .order_by("-starts_at", "-pk")
        .values("title", "starts_at", "going", "came", "first_timers")
    )
    events = [
        EventAttendance(
            title=row["title"], starts_at=row["starts_at"], going=row["going"], came=row["came"]
        )
        for row in reversed(rows[:EVENTS_SHOWN])
    ]
    firsts: dict[dt.date, int] = {}
    returning: dict[dt.date, int] = {}
    for row in rows:
        month = timezone.localtime(row["starts_at"]).date().replace(day=1)
        firsts[month] = firsts.get(month, 0) + row["first_timers"]
        returning[month] = returning.get(month, 0) + row["came"] - row["first_timers"]

    # Only events where the door list was used say anything about no-shows.
    came = sum(row["came"] for row in rows)
    going_checked = sum(row["going"] for row in rows if row["came"])
    no_show_rate = None
    if going_checked:
        no_show_rate = round(100 * max(going_checked - came, 0) / going_checked)

    return Insight(
        events=events,
        months=[
            Month(
                start=start,
                first_timers=firsts.get(start, 0),
                returning=returning.get(start, 0),
                volunteer_minutes=counted[f"insight_minutes_{index}"] or 0,
            )
            for index, start in enumerate(period.months)
        ],
        active_30=counted["insight_active_30"],
        active_90=counted["insight_active_90"],
        no_show_rate=no_show_rate,
    )
