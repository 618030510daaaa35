"""Reads of projects, shifts and sign-ups, limited to what the viewer may see, with related rows
fetched up front (a page costs the same number of queries for 1 shift as for 100)."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import connections
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.exceptions import NotFound
from core.geo import filter_near
from core.search import EqualsAnyOf
from groups.models import Group
from volunteering.models import Role, Shift, ShiftSignup, VolunteerProject

ACTIVE = (ShiftSignup.Status.SIGNED_UP, ShiftSignup.Status.WAITLISTED)
BY_NEXT_SHIFT = ("without_shift", "next_shift_at", "title", "id")


class ProjectsByNextShift:
    """Projects by their next open shift (`_by_next_shift`): slice it for a page, or count."""

    def __init__(
        self,
        *,
        with_shift: QuerySet,
        without: QuerySet,
        everything: QuerySet,
        without_order=BY_NEXT_SHIFT[2:],
    ):
        self.with_shift, self.without = with_shift, without
        # The two parts hold each project of `everything` once (one its next shift, the other
        # those without one), so it is counted on its own, without finding any next shift.
        self.everything = everything
        self.without_order = without_order

    def _merged(self, high: int | None = None) -> QuerySet:
        with_shift = self.with_shift.order_by(*BY_NEXT_SHIFT[1:])
        without = self.without.order_by(*self.without_order)
        features = connections[with_shift.db].features
        if high is not None and features.supports_slicing_ordering_in_compound:
            # Projects without an open shift are read only when those with one do not fill
            # the slice (a condition on no row, which PostgreSQL checks once, first): finding
            # them means looking at every project.
            last = Subquery(with_shift.values("pk")[high - 1 : high])
            without = without.alias(last_with_shift=last).filter(last_with_shift__isnull=True)
            with_shift, without = with_shift[:high], without[:high]
        else:
            with_shift, without = with_shift.order_by(), without.order_by()
        return with_shift.union(without, all=True).order_by(*BY_NEXT_SHIFT)

    def __getitem__(self, index: slice) -> list[VolunteerProject]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("Read a page of projects with a slice.")
        return list(self._merged(index.stop)[index])

    def __iter__(self):
        return iter(self._merged())

    def count(self) -> int:
        return self.everything.order_by().count()

    def count_up_to(self, limit: int) -> int:
        """count(), counting no further than `limit` (core.paging)."""
        return self.everything.order_by()[:limit].count()


def _open_shifts(now: dt.datetime) -> QuerySet:
    return Shift.objects.scheduled().filter(starts_at__gt=now)


def _with_role(roles: QuerySet) -> Q:
    """Projects with one of `roles`. On PostgreSQL as `id = ANY(ARRAY(...))`: the roles are
    found once (their trigram indexes) and the projects by their key, so that an OR of this and
    the project's own columns can be read from indexes for a rare word."""
    if connections[roles.db].vendor == "postgresql":
        return Q(EqualsAnyOf(F("pk"), Subquery(roles.order_by().values("project_id"))))
    return Q(Exists(roles.filter(project=OuterRef("pk"))))


def _text_match(word: str) -> Q:
    """Projects whose title, description, skills, venue, town or a role's name holds `word`, or
    whose group's town does when the project has none (issue #11: every part of the OR can be
    read from an index on PostgreSQL, see docs/performance.md)."""
    columns = Q()
    for name in ("title", "description", "skills", "venue_name", "city"):
        columns |= Q(**{f"{name}__icontains": word})
    in_town = Group.objects.filter(city__icontains=word)
    if connections[in_town.db].vendor == "postgresql":
        group_in_town = Q(EqualsAnyOf(F("group_id"), Subquery(in_town.order_by().values("pk"))))
    else:
        group_in_town = Q(group__city__icontains=word)
    return (
        columns
        | (Q(city="") & group_in_town)
        | _with_role(Role.objects.filter(name__icontains=word))
    )


def project_list_visible(
    *, user, filters: Mapping[str, Any] | None = None
) -> ProjectsByNextShift | QuerySet:
    """Active projects listed for the viewer (public groups', and their own groups'), by their
    next open shift, each with its count of open shifts and the next one's start. Filters: q
    (title, description, skills, roles, venue, town), cause, date_from/date_to (an open shift on
    those days), skills, remote ("remote" / "in_person"), lat + lon + radius_km."""
    filters = filters or {}
    now = timezone.now()
    projects = VolunteerProject.objects.listed_for(user).active()
    shifts = _open_shifts(now).filter(role__project=OuterRef("pk"))
    date_from, date_to = filters.get("date_from"), filters.get("date_to")
    if date_from:
        shifts = shifts.filter(starts_at__date__gte=date_from)
    if date_to:
        shifts = shifts.filter(starts_at__date__lte=date_to)
    if date_from or date_to:
        projects = projects.filter(Exists(shifts))
    if q := (filters.get("q") or "").strip():
        projects = projects.filter(_text_match(q))
    if cause := filters.get("cause"):
        projects = projects.filter(cause=cause)
    if skills := (filters.get("skills") or "").strip():
        projects = projects.filter(
            Q(skills__icontains=skills) | _with_role(Role.objects.filter(skills__icontains=skills))
        )
    remote = filters.get("remote")
    if remote == "remote":
        projects = projects.filter(remote=True)
    elif remote == "in_person":
        projects = projects.filter(remote=False)
    lat, lon, radius = filters.get("lat"), filters.get("lon"), filters.get("radius_km")
    if lat is not None and lon is not None and radius:
        projects = filter_near(projects, lat=lat, lon=lon, radius_km=radius)
    projects = projects.select_related("group")
    if q or skills:
        return _searched_by_next_shift(projects, now=now)
    return _by_next_shift(projects, now=now)


# A search reads the site's next SEARCH_WINDOW open shifts in start order first (a page of a word
# many projects have is found there); only when they do not fill the page are the other
# matching projects read, each with its own next shift.
SEARCH_WINDOW = 300
FAR_FUTURE = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)


def _searched_by_next_shift(projects: QuerySet, *, now: dt.datetime) -> ProjectsByNextShift:
    """The projects of a search in the order of `_by_next_shift`, read in two parts whose cost
    does not grow with the site: those whose next open shift is among the site's next
    SEARCH_WINDOW open shifts (read in start order, as browsing is), then, only when these do not
    fill the page, the other matching projects, each with its next open shift (or none).

    Reading in start order alone would walk every open shift for a word no project has; reading
    the matching projects alone would, for a word every project has, compute every project's
    next shift to show twenty."""
    window_end = Coalesce(
        Subquery(
            _open_shifts(now)
            .order_by("starts_at", "pk")
            .values("starts_at")[SEARCH_WINDOW - 1 :][:1]
        ),
        Value(FAR_FUTURE),
        output_field=DateTimeField(),
    )
    in_window = _by_next_shift(projects, now=now, until=window_end).with_shift
    open_of_project = _open_shifts(now).filter(role__project=OuterRef("pk"))
    next_shift = Subquery(open_of_project.order_by("starts_at").values("starts_at")[:1])
    count = _open_shift_count(open_of_project)
    after_window = (
        projects.filter(~Exists(open_of_project.filter(starts_at__lte=window_end)))
        .annotate(next_shift_at=next_shift)
        .annotate(
            without_shift=Case(
                When(next_shift_at__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            open_shift_count=Coalesce(count, 0),
        )
    )
    return ProjectsByNextShift(
        with_shift=in_window,
        without=after_window,
        everything=projects,
        without_order=BY_NEXT_SHIFT,
    )


def _open_shift_count(open_of_project: QuerySet) -> Subquery:
    """How many of `open_of_project` (a project's open shifts, by OuterRef) there are."""
    return Subquery(
        open_of_project.order_by()
        .values("role__project")
        .annotate(count=Count("pk"))
        .values("count"),
        output_field=IntegerField(),
    )


def _by_next_shift(projects: QuerySet, *, now: dt.datetime, until=None) -> ProjectsByNextShift:
    """The projects in the order of their next open shift (those without one last, by title),
    each with `next_shift_at` and `open_shift_count`, as one statement that a page can be read
    from without computing every project's next shift.

    Two parts in UNION ALL: projects joined to their first open shift (a shift with no earlier
    open shift in its project), read in the shifts' start order from the (status, starts_at)
    index, so a page stops after a page of projects; and projects with no open shift, by title.
    Where the database can order and limit each part (PostgreSQL), a page slices both at the
    page's end; the open shift count is then computed for those rows only."""
    open_of_project = _open_shifts(now).filter(role__project=OuterRef("pk"))
    # (The bound on its own lets the index on (role, starts_at) read only earlier shifts.)
    earlier = open_of_project.filter(starts_at__lte=OuterRef("roles__shifts__starts_at")).filter(
        Q(starts_at__lt=OuterRef("roles__shifts__starts_at"))
        | Q(starts_at=OuterRef("roles__shifts__starts_at"), pk__lt=OuterRef("roles__shifts__pk"))
    )
    count = _open_shift_count(open_of_project)
    # (`until`, a search's window: the same join as the shift's start, so in the same filter)
    bounded = {} if until is None else {"roles__shifts__starts_at__lte": until}
    with_shift = projects.filter(
        ~Exists(earlier),
        roles__shifts__status=Shift.Status.SCHEDULED,
        roles__shifts__starts_at__gt=now,
        **bounded,
    ).annotate(
        next_shift_at=F("roles__shifts__starts_at"),
        without_shift=Value(0),
        open_shift_count=Coalesce(count, 0),
    )
    without = projects.filter(~Exists(open_of_project)).annotate(
        next_shift_at=Value(None, output_field=DateTimeField()),
        without_shift=Value(1),
        open_shift_count=Value(0),
    )
    return ProjectsByNextShift(with_shift=with_shift, without=without, everything=projects)


def access_project(*, user, slug: str) -> VolunteerProject:
    """The project when the viewer may see its group's content; NotFound otherwise."""
    project = (
        VolunteerProject.objects.visible_to(user)
        .select_related("group", "contact")
        .filter(slug=slug)
        .first()
    )
    if project is None:
        raise NotFound
    return project


def project_open_shifts(*, project: VolunteerProject) -> QuerySet:
    """The project's coming shifts (cancelled ones too, marked), earliest first, with role: a
    query to read a page of (core.paging), then `with_project`."""
    now = timezone.now()
    return (
        Shift.objects.filter(role__project=project, ends_at__gt=now)
        .select_related("role")
        .order_by("starts_at", "pk")
    )


def with_project(shifts, *, project: VolunteerProject) -> list:
    """The shifts read, each knowing its project without another query."""
    shifts = list(shifts)
    for shift in shifts:
        shift.role.project = project
    return shifts


def access_shift(*, user, project_slug: str, pk: int) -> Shift:
    """The shift when the viewer may see its project; NotFound otherwise."""
    shift = (
        Shift.objects.visible_to(user)
        .select_related("role__project__group", "role__project__contact")
        .filter(pk=pk, role__project__slug=project_slug)
        .first()
    )
    if shift is None:
        raise NotFound
    return shift


def signup_for_user(*, user, shift: Shift) -> ShiftSignup | None:
    if user is None or not user.is_authenticated:
        return None
    return ShiftSignup.objects.filter(shift=shift, user=user).first()


def signups_by_shift(*, user, shifts) -> dict[int, ShiftSignup]:
    """The viewer's sign-ups to these shifts, by shift id (one query)."""
    if user is None or not user.is_authenticated:
        return {}
    return {
        s.shift_id: s
        for s in ShiftSignup.objects.filter(user=user, shift__in=[s.pk for s in shifts])
    }


def waitlist_ahead(*, signup: ShiftSignup) -> int:
    """How many wait before this sign-up."""
    if signup.status != ShiftSignup.Status.WAITLISTED:
        return 0
    return ShiftSignup.objects.filter(
        shift_id=signup.shift_id,
        status=ShiftSignup.Status.WAITLISTED,
        waitlist_position__lt=signup.waitlist_position,
    ).count()


def my_signups(*, user, past: bool = False) -> QuerySet:
    """The volunteer's sign-ups (signed up or waiting) to coming shifts, or their past shifts,
    of projects they may still see."""
    now = timezone.now()
    signups = ShiftSignup.objects.filter(
        user=user, shift__in=Shift.objects.visible_to(user)
    ).select_related("shift__role__project__group")
    if past:
        return signups.filter(
            status=ShiftSignup.Status.SIGNED_UP, shift__ends_at__lte=now
        ).order_by("-shift__starts_at", "-pk")
    return signups.filter(status__in=ACTIVE, shift__ends_at__gt=now).order_by(
        "shift__starts_at", "pk"
    )


def calendar_feed_shifts(*, user, past_days: int = 90) -> QuerySet:
    """Shifts for the volunteer's private feed: signed up, from `past_days` ago, of projects they
    may still see (cancelled ones stay, marked, so calendars drop them)."""
    since = timezone.now() - dt.timedelta(days=past_days)
    return (
        Shift.objects.visible_to(user)
        .filter(
            signups__user=user,
            signups__status=ShiftSignup.Status.SIGNED_UP,
            ends_at__gt=since,
        )
        .select_related("role__project__group")
        .order_by("starts_at", "pk")[:500]
    )


def group_projects(*, group: Group, user, limit: int = 5) -> list[VolunteerProject]:
    """The group's active projects for its page (the caller checked the viewer may see its
    content), with open shift counts."""
    now = timezone.now()
    open_shifts = Q(roles__shifts__status=Shift.Status.SCHEDULED, roles__shifts__starts_at__gt=now)
    return list(
        VolunteerProject.objects.filter(group=group)
        .active()
        .annotate(open_shift_count=Count("roles__shifts", filter=open_shifts))
        .order_by("title", "pk")[:limit]
    )
