"""Reads of the hours ledger, each limited to what the viewer may see, at a fixed query cost."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear

from core import header
from core.exceptions import NotFound
from groups.models import Group, Membership
from groups.selectors import own_membership, with_own_membership
from volunteering.hours.permissions import can_coordinate_hours
from volunteering.hours.statement import normalize_code
from volunteering.models import HoursEntry, HoursStatement, VolunteerProject


def statement_rows(
    *, volunteer, group: Group, period_from: dt.date, period_to: dt.date
) -> tuple[list[dict], list[int]]:
    """Per project of the group: first and last date, verified minutes and who verified them,
    for the volunteer's verified entries in the period; and those entries' ids (one query).
    A project whose entries net to nothing (all reversed) is left out."""
    entries = (
        HoursEntry.objects.verified()
        .filter(
            volunteer=volunteer,
            project__group=group,
            worked_on__gte=period_from,
            worked_on__lte=period_to,
        )
        .select_related("project", "reviewed_by")
        .order_by("project__title", "project_id", "worked_on", "pk")
    )
    by_project: dict[int, dict] = {}
    ids = []
    for entry in entries:
        ids.append(entry.pk)
        row = by_project.setdefault(
            entry.project_id,
            {"title": entry.project.title, "dates": [], "minutes": 0, "verified_by": []},
        )
        row["minutes"] += entry.minutes
        if entry.source != HoursEntry.Source.REVERSAL:
            row["dates"].append(entry.worked_on)
        name = entry.reviewed_by.public_name if entry.reviewed_by else ""
        if name and entry.source != HoursEntry.Source.REVERSAL and name not in row["verified_by"]:
            row["verified_by"].append(name)
    rows = []
    for row in by_project.values():
        if row["minutes"] <= 0 or not row["dates"]:
            continue
        dates = row.pop("dates")
        rows.append(
            {
                **row,
                "first_date": min(dates).isoformat(),
                "last_date": max(dates).isoformat(),
                "verified_by": sorted(row["verified_by"]),
            }
        )
    return rows, ids


def statement_entries_unchanged(statement: HoursStatement) -> bool:
    """Do the verified entries a statement counts still stand: none reversed since, and no
    other verified entry now in its period (three counts, whatever the number of entries: a
    verified entry stays verified, so equal counts mean equal sets)."""
    if statement.group_id is None:
        return True
    now = HoursEntry.objects.verified().filter(
        volunteer_id=statement.volunteer_id,
        project__group_id=statement.group_id,
        worked_on__gte=statement.period_from,
        worked_on__lte=statement.period_to,
    )
    counted = statement.entries.count()
    return now.count() == counted == now.filter(statements=statement).count()


def verified_hours_summary(*, user) -> dict:
    """The volunteer's own verified hours per project and per year, for their profile
    (two queries)."""
    verified = HoursEntry.objects.verified().filter(volunteer=user)
    per_project = [
        row
        for row in verified.values("project_id", "project__title", "project__group__name")
        .annotate(minutes=Sum("minutes"), first=Min("worked_on"), last=Max("worked_on"))
        .order_by("project__title", "project_id")
        if row["minutes"] > 0
    ]
    per_year = [
        row
        for row in verified.annotate(year=ExtractYear("worked_on"))
        .values("year")
        .annotate(minutes=Sum("minutes"))
        .order_by("-year")
        if row["minutes"] > 0
    ]
    return {
        "per_project": per_project,
        "per_year": per_year,
        "total_minutes": sum(row["minutes"] for row in per_project),
    }


def my_hours(*, user):
    """The volunteer's own entries, newest first (reversals and corrections included)."""
    return (
        HoursEntry.objects.filter(volunteer=user)
        .select_related("project", "reviewed_by")
        .order_by("-worked_on", "-pk")
    )


def my_statement_groups(*, user):
    """Groups the volunteer has verified hours with: those a statement can be asked for."""
    return Group.objects.filter(
        pk__in=HoursEntry.objects.verified().filter(volunteer=user).values("project__group_id")
    ).order_by("name")


def access_my_statement(*, user, code: str) -> HoursStatement:
    """The user's own statement by its code (the PDF download); NotFound for anyone else's."""
    normalized = normalize_code(code)
    statement = (
        HoursStatement.objects.filter(code=normalized, volunteer=user).first()
        if normalized and user.is_authenticated
        else None
    )
    if statement is None:
        raise NotFound
    return statement


def coordinated_projects(*, user):
    """Projects whose hours the user coordinates (organizer or host of the group), with how
    many entries wait for review (one query)."""
    if not user.is_authenticated:
        return VolunteerProject.objects.none()
    coordinating = Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
    )
    return (
        VolunteerProject.objects.filter(group_id__in=coordinating.values("group_id"))
        .select_related("group")
        .annotate(pending_count=Count("hours_entries", filter=Q(hours_entries__status="pending")))
        .order_by("title", "pk")
    )


def access_coordinated_project(*, user, slug: str, totals: bool = False) -> VolunteerProject:
    """A project whose hours the user coordinates, read with the user's membership of its
    group in one query (with `totals`, its verified hours too: hours_totals); NotFound
    otherwise (also when the user may not even see it)."""
    if not user.is_authenticated:
        raise NotFound
    projects = with_own_membership(
        VolunteerProject.objects.select_related("group").filter(slug=slug),
        user=user,
        group="group_id",
    )
    if totals:
        projects = projects.annotate(**hours_totals())
    project = projects.first()
    if project is None:
        raise NotFound
    membership = own_membership(project, group=project.group, user=user)
    if not can_coordinate_hours(user, project, membership=membership):
        raise NotFound
    return project


def project_hours(
    *, project: VolunteerProject, date_from: dt.date | None = None, date_to: dt.date | None = None
):
    """Every entry of a project (access checked by `access_coordinated_project`), by date."""
    filters = Q(project=project)
    if date_from:
        filters &= Q(worked_on__gte=date_from)
    if date_to:
        filters &= Q(worked_on__lte=date_to)
    return (
        HoursEntry.objects.filter(filters)
        .select_related("volunteer", "shift__role", "reviewed_by")
        .order_by("worked_on", "pk")
    )


def project_pending_hours(*, project: VolunteerProject):
    """The project's entries waiting for review, oldest first."""
    return (
        HoursEntry.objects.filter(project=project, status=HoursEntry.Status.PENDING)
        .select_related("volunteer", "shift__role")
        .order_by("worked_on", "pk")
    )


def hours_totals() -> dict:
    """A project's verified hours as annotations of VolunteerProject rows: minutes in all
    (`verified_minutes`) and how many volunteers have some (`verified_volunteers`: a
    volunteer whose entries net out to nothing after corrections does not count; anonymized
    accounts count as the former members they were)."""
    verified = HoursEntry.objects.verified()
    per_volunteer = (
        verified.filter(project=OuterRef(OuterRef("pk")))
        .order_by()
        .values("volunteer_id")
        .annotate(total=Sum("minutes"))
        .filter(total__gt=0)
        .values("volunteer_id")
    )
    return {
        "verified_minutes": Coalesce(
            Subquery(
                verified.filter(project=OuterRef("pk"))
                .order_by()
                .values("project")
                .annotate(total=Sum("minutes"))
                .values("total")[:1],
                output_field=IntegerField(),
            ),
            0,
        ),
        "verified_volunteers": header.count_of(
            get_user_model().objects.filter(pk__in=per_volunteer)
        ),
    }


def project_hours_totals(*, project: VolunteerProject) -> dict:
    """Verified minutes in all and how many volunteers have some (hours_totals), for the
    coordinators' page (one query)."""
    totals = (
        VolunteerProject.objects.filter(pk=project.pk)
        .annotate(**hours_totals())
        .values("verified_minutes", "verified_volunteers")
        .first()
    ) or {"verified_minutes": 0, "verified_volunteers": 0}
    return {
        "volunteers": totals["verified_volunteers"],
        "total_minutes": totals["verified_minutes"],
    }


def coordinator_ids(project: VolunteerProject):
    """Who reviews the project's hours: the group's active organizers and hosts."""
    return Membership.objects.filter(
        group_id=project.group_id,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
    ).values("user_id")


def coordinating_pairs(*, pairs) -> set[tuple[int, int]]:
    """The (user id, project id) pairs where the user coordinates the project: an active
    organizer or host of its group (two queries)."""
    pairs = {(user_id, project_id) for user_id, project_id in pairs if project_id is not None}
    if not pairs:
        return set()
    groups = dict(
        VolunteerProject.objects.filter(
            pk__in={project_id for _user, project_id in pairs}
        ).values_list("pk", "group_id")
    )
    coordinating = set(
        Membership.objects.filter(
            user_id__in={user_id for user_id, _project in pairs},
            group_id__in=set(groups.values()),
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
        ).values_list("user_id", "group_id")
    )
    return {(u, p) for u, p in pairs if (u, groups.get(p)) in coordinating}


def pending_counts_for(*, pairs) -> dict[tuple[int, int], int]:
    """For (coordinator id, project id) pairs: how many of the project's entries wait for that
    coordinator (others' entries). One query; whether they still coordinate is
    `coordinating_pairs`."""
    pairs = {(user_id, project_id) for user_id, project_id in pairs if project_id is not None}
    if not pairs:
        return {}
    per_volunteer: dict[int, dict[int, int]] = defaultdict(dict)
    for project_id, volunteer_id, count in (
        HoursEntry.objects.filter(
            project_id__in={project_id for _user, project_id in pairs},
            status=HoursEntry.Status.PENDING,
        )
        .values_list("project_id", "volunteer_id")
        .annotate(n=Count("pk"))
    ):
        per_volunteer[project_id][volunteer_id] = count
    result = {}
    for user_id, project_id in pairs:
        counts = per_volunteer.get(project_id, {})
        result[(user_id, project_id)] = sum(counts.values()) - counts.get(user_id, 0)
    return result
