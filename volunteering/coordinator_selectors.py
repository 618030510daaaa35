"""Reads for the people who run a group's volunteering (organizers and hosts, in the organizer
workspace): projects with their fill, one project's shifts, a shift's people with whether they
were checked in, and hours waiting for review. Each checks who asks
(`groups.permissions.can_manage_events`, the rule the volunteering services use) and answers
NotFound to anyone else; each costs a fixed number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import header, repeat, when
from core.exceptions import NotFound
from core.joined import joined, joined_fields
from core.paging import Page, nearest_page_of
from core.timezones import site_timezone, timezone_names
from groups.models import Group, Membership
from groups.permissions import UNKNOWN, can_manage_events
from groups.selectors import (
    access_workspace_group,
    own_membership,
    require_workspace,
    with_own_membership,
)
from volunteering.hours.selectors import hours_totals
from volunteering.models import (
    HoursEntry,
    Role,
    Shift,
    ShiftSeries,
    ShiftSignup,
    VolunteerProject,
)

# Shifts that ended this long ago still show on a project's page, so volunteers can be checked
# in (and their hours written) after the day.
RECENT_SHIFTS = dt.timedelta(days=14)
SHIFTS_SHOWN = 100
PENDING_HOURS_SHOWN = 50
CHECKED_IN_SOURCES = (HoursEntry.Source.LOGGED, HoursEntry.Source.CHECK_IN)


def _require(user, group: Group, membership) -> None:
    if not can_manage_events(user, group, membership=membership):
        raise NotFound


def _per(queryset: QuerySet, key: str, aggregate) -> Coalesce:
    """`aggregate` over the rows of `queryset` (filtered on an OuterRef through `key`) as an
    integer subquery; 0 when there are none."""
    return Coalesce(
        Subquery(
            queryset.order_by().values(key).annotate(_value=aggregate).values("_value")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _coming_shifts(now: dt.datetime) -> QuerySet:
    return Shift.objects.scheduled().filter(ends_at__gt=now)


def workspace_projects(*, user, group: Group, membership=UNKNOWN) -> list[VolunteerProject]:
    """The group's projects (active first), each with its coming shifts, places taken and
    offered on those with a limit (the fill rate), shifts without a limit and places taken on
    them, people waiting, and hours waiting for review. One query."""
    _require(user, group, membership)
    now = timezone.now()
    coming = _coming_shifts(now).filter(role__project=OuterRef("pk"))
    key = "role__project"
    waiting = ShiftSignup.objects.filter(
        shift__in=_coming_shifts(now),
        shift__role__project=OuterRef("pk"),
        status=ShiftSignup.Status.WAITLISTED,
    )
    pending = HoursEntry.objects.filter(project=OuterRef("pk"), status=HoursEntry.Status.PENDING)
    return list(
        VolunteerProject.objects.filter(group=group)
        .annotate(
            coming_shifts=_per(coming, key, Count("pk")),
            places_taken=_per(coming.filter(capacity__isnull=False), key, Sum("seats_taken")),
            places_offered=_per(coming.filter(capacity__isnull=False), key, Sum("capacity")),
            places_open_ended=_per(coming.filter(capacity__isnull=True), key, Count("pk")),
            taken_open_ended=_per(coming.filter(capacity__isnull=True), key, Sum("seats_taken")),
            waiting=_per(waiting, "shift__role__project", Count("pk")),
            pending_hours=_per(pending, "project", Count("pk")),
        )
        .order_by("status", "title", "pk")
    )


def access_workspace_group_project(
    *, user, group_slug: str, slug: str
) -> tuple[Group, Membership | None, VolunteerProject]:
    """The group (as groups.selectors.access_workspace_group), the user's membership of it and
    one of its projects with its verified hours (`verified_minutes`, `verified_volunteers`:
    volunteering.hours.selectors.hours_totals), in one query; NotFound otherwise (also for
    another group's project under this group's address)."""
    if user is None or not user.is_authenticated:
        raise NotFound
    project = (
        with_own_membership(
            VolunteerProject.objects.filter(group__slug=group_slug, slug=slug),
            user=user,
            group="group_id",
        )
        .select_related("group", "contact")
        .annotate(**hours_totals())
        .first()
    )
    if project is None:
        # The group's own answer first (NotFound, or a moderator's look at it written down).
        access_workspace_group(user=user, slug=group_slug)
        raise NotFound
    group = project.group
    membership = own_membership(project, group=group, user=user)
    require_workspace(user=user, group=group, membership=membership)
    return group, membership, project


def project_roles(*, project: VolunteerProject) -> list:
    """The project's roles, by name, with their repeating shifts (`repeating`, stopped ones
    marked). One query: a row per role and repeating shift (core.joined)."""
    rows = project.roles.annotate(**joined_fields(ShiftSeries, "series", "repeat_")).order_by(
        "name", "pk", "series__first_starts_at", "series__pk"
    )
    roles: dict[int, Role] = {}
    for row in rows:
        role = roles.get(row.pk)
        if role is None:
            role = roles[row.pk] = row
            role.project = project
            role.repeating = []
        item = joined(row, ShiftSeries, "repeat_")
        if item is not None:
            item.role = role
            item.words = series_words(item)
            role.repeating.append(item)
    return list(roles.values())


def access_workspace_role(*, project: VolunteerProject, pk: int):
    """A role of the project (checked by `access_workspace_group_project`); NotFound otherwise."""
    role = project.roles.filter(pk=pk).first()
    if role is None:
        raise NotFound
    role.project = project
    return role


def _with_counts(shifts: QuerySet) -> QuerySet:
    signed_up = ShiftSignup.objects.filter(
        shift=OuterRef("pk"), status=ShiftSignup.Status.SIGNED_UP
    )
    waiting = ShiftSignup.objects.filter(shift=OuterRef("pk"), status=ShiftSignup.Status.WAITLISTED)
    checked_in = HoursEntry.objects.filter(shift=OuterRef("pk"), source__in=CHECKED_IN_SOURCES)
    return shifts.annotate(
        signed_up=_per(signed_up, "shift", Count("pk")),
        waiting=_per(waiting, "shift", Count("pk")),
        checked_in=_per(checked_in, "shift", Count("pk")),
    )


def project_shifts(*, project: VolunteerProject, limit: int = SHIFTS_SHOWN) -> list[Shift]:
    """The project's shifts from two weeks ago on (cancelled ones marked), earliest first, with
    volunteers signed up, waiting and checked in. One query."""
    since = timezone.now() - RECENT_SHIFTS
    shifts = list(
        _with_counts(
            Shift.objects.filter(role__project=project, ends_at__gt=since).select_related("role")
        ).order_by("starts_at", "pk")[:limit]
    )
    for shift in shifts:
        shift.role.project = project
        shift.when = when.span_html(shift.starts_at, shift.ends_at, shift.timezone)
    return shifts


def access_workspace_shift(*, project: VolunteerProject, pk: int) -> Shift:
    """A shift of the project (checked by `access_workspace_group_project`); NotFound otherwise."""
    shift = (
        _with_counts(Shift.objects.filter(role__project=project, pk=pk))
        .select_related("role", "series")
        .first()
    )
    if shift is None:
        raise NotFound
    shift.role.project = project
    shift.when = when.span_html(shift.starts_at, shift.ends_at, shift.timezone)
    return shift


def series_words(series: ShiftSeries) -> str:
    """Plain words for a repeating shift: "Every week from Sat 5 Dec 2026, 09:00 (zone)"."""
    first = when.moment(series.first_starts_at, series.timezone)
    return repeat.describe(series.rrule, first=first, timezone=series.timezone)


def access_workspace_series(*, project: VolunteerProject, pk: int) -> ShiftSeries:
    """A repeating shift of the project (checked by `access_workspace_group_project`)."""
    series = ShiftSeries.objects.filter(role__project=project, pk=pk).select_related("role").first()
    if series is None:
        raise NotFound
    series.role.project = project
    series.words = series_words(series)
    return series


def shift_people(*, shift: Shift) -> dict[str, list[ShiftSignup]]:
    """The shift's volunteers signed up (with their team and their hours entry for the shift,
    if any) and waiting in order. One query."""
    entry = HoursEntry.objects.filter(
        shift=shift, volunteer=OuterRef("user_id"), source__in=CHECKED_IN_SOURCES
    )
    signups = (
        ShiftSignup.objects.filter(
            shift=shift,
            status__in=[ShiftSignup.Status.SIGNED_UP, ShiftSignup.Status.WAITLISTED],
        )
        .select_related("user")
        .annotate(
            hours_entry_id=Subquery(entry.values("pk")[:1]),
            hours_status=Subquery(entry.values("status")[:1]),
        )
        .order_by("waitlist_position", "created_at", "pk")
    )
    people: dict[str, list[ShiftSignup]] = {"signed_up": [], "waiting": []}
    for signup in signups:
        signup.shift = shift
        key = "signed_up" if signup.status == ShiftSignup.Status.SIGNED_UP else "waiting"
        people[key].append(signup)
    people["signed_up"].sort(key=lambda s: s.user.public_name.casefold())
    return people


def access_signed_up(*, shift: Shift, pk: int) -> ShiftSignup:
    """A volunteer signed up to the shift; NotFound otherwise (waiting, withdrawn, another
    shift's)."""
    signup = (
        ShiftSignup.objects.filter(shift=shift, pk=pk, status=ShiftSignup.Status.SIGNED_UP)
        .select_related("user")
        .first()
    )
    if signup is None:
        raise NotFound
    signup.shift = shift
    return signup


def _pending(project: VolunteerProject) -> QuerySet:
    return (
        HoursEntry.objects.filter(project=project, status=HoursEntry.Status.PENDING)
        .select_related("volunteer", "shift__role")
        .order_by("worked_on", "pk")
    )


def _of_project(entries, project: VolunteerProject):
    for entry in entries:
        entry.project = project
    return entries


def pending_hours(*, project: VolunteerProject, page=None) -> Page:
    """A page of the project's hours waiting for review, oldest first (PENDING_HOURS_SHOWN a
    page, with next and previous: nothing counts them all). One query; a page number past the
    end shows the last page."""
    found = nearest_page_of(_pending(project), page, PENDING_HOURS_SHOWN)
    _of_project(found.object_list, project)
    return found


def pending_hours_chosen(*, project: VolunteerProject, ids) -> list[HoursEntry]:
    """Those of `ids` (as posted: anything that is not an id is left out) that are the
    project's hours waiting for review, oldest first. One query."""
    wanted = {int(v) for v in ids if isinstance(v, str) and v.isascii() and v.isdigit()}
    wanted = {pk for pk in wanted if pk < 2**63}
    if not wanted:
        return []
    return _of_project(list(_pending(project).filter(pk__in=wanted)), project)


def coordinated_group_ids(user) -> QuerySet:
    """Groups whose volunteering the user runs (active organizer or host)."""
    return Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
    ).values("group_id")


def hours_waiting(user):
    """How many hours entries wait for review in the groups the user coordinates (a
    core.header count)."""
    return header.count_of(
        HoursEntry.objects.filter(
            status=HoursEntry.Status.PENDING,
            project__group_id__in=coordinated_group_ids(user),
        ).exclude(volunteer=user)
    )


def hours_waiting_in(*, user, group_ids) -> QuerySet:
    """Hours entries waiting for the user's review in those of `group_ids` they coordinate
    (others' entries: nobody reviews their own)."""
    return (
        HoursEntry.objects.filter(
            status=HoursEntry.Status.PENDING,
            project__group_id__in=coordinated_group_ids(user),
        )
        .filter(project__group_id__in=list(group_ids))
        .exclude(volunteer=user)
    )


def hours_waiting_by_group(*, user, group_ids) -> dict[int, int]:
    """Hours entries waiting for review per group the user coordinates (one query)."""
    rows = (
        hours_waiting_in(user=user, group_ids=group_ids)
        .values("project__group_id")
        .annotate(n=Count("pk"))
    )
    return {row["project__group_id"]: row["n"] for row in rows}


def group_coordinators(*, group: Group) -> QuerySet:
    """The group's active organizers and hosts (a project's contact person is one of them)."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            memberships__group=group,
            memberships__status=Membership.Status.ACTIVE,
            memberships__role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
        )
        .order_by("display_name", "pk")
    )


def group_project_timezone(*, group: Group) -> str:
    """The zone a new project of the group starts in: its latest project's, else the site's
    (core.timezones.site_timezone), never UTC by surprise. For its organizers' forms."""
    latest = VolunteerProject.objects.filter(group=group).order_by("-created_at", "-pk")
    zone = latest.values_list("timezone", flat=True).first()
    return zone if zone in timezone_names() else site_timezone()
