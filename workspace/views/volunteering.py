"""The volunteering part of a group's workspace (organizers and hosts, who run its projects as
they run its events): projects with their fill, creating and editing projects, roles and shifts
(once or repeating), cancelling a shift or stopping a repeating one, a shift's people with
one-tap check-in (which writes the hours entry), hours waiting for review in bulk, and the hours
CSV. Every write is a volunteering service; every list a volunteering selector."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.exceptions import ServiceError
from core.web import add_service_error, message_service_error
from volunteering import coordinator_selectors as selectors
from volunteering import services
from volunteering.hours import selectors as hours_selectors
from volunteering.hours import services as hours_services
from volunteering.hours.export import hours_csv
from volunteering.hours.forms import ExportForm
from workspace import navigation
from workspace.access import workspace_view
from workspace.volunteering_forms import (
    CancelForm,
    HoursReviewForm,
    NewShiftForm,
    ProjectForm,
    RoleForm,
    ShiftForm,
    local_initial,
)

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _context(workspace, **extra) -> dict:
    return navigation.page_context(workspace, section="volunteering", **extra)


def _to_project(workspace, project):
    return redirect("workspace:volunteering_project", workspace.group.slug, project.slug)


def _to_shift(workspace, project, shift):
    return redirect("workspace:volunteering_shift", workspace.group.slug, project.slug, shift.pk)


@require_safe
@workspace_view
def project_list(request, workspace):
    """The group's projects with their coming shifts, how full they are, who waits and how
    many hours wait for review."""
    projects = selectors.workspace_projects(
        user=request.user, group=workspace.group, membership=workspace.membership
    )
    return render(
        request, "workspace/volunteering/projects.html", _context(workspace, projects=projects)
    )


@GET_POST
@workspace_view
def project_new(request, workspace):
    """A new project (volunteering.services.project_create)."""
    group = workspace.group
    form = ProjectForm(
        request.POST or None,
        coordinators=selectors.group_coordinators(group=group),
        group=group,
        initial={
            "timezone": selectors.group_project_timezone(group=group),
            "city": group.city,
            "contact": request.user.pk,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(
                group=group, actor=request.user, **form.project_fields()
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The project is created. Add its roles and shifts."))
            return _to_project(workspace, project)
    return render(
        request,
        "workspace/volunteering/project_form.html",
        _context(workspace, form=form, project=None),
        status=400 if form.is_bound else 200,
    )


@GET_POST
@workspace_view
def project_edit(request, workspace, project_slug):
    """Edit a project (volunteering.services.project_update: a changed agreement is a new
    version that volunteers accept again)."""
    project = workspace.project
    form = ProjectForm(
        request.POST or None,
        coordinators=selectors.group_coordinators(group=workspace.group),
        group=workspace.group,
        current=project,
        initial=ProjectForm.initial_for(project),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, actor=request.user, **form.project_fields())
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The project is saved."))
            return _to_project(workspace, project)
    return render(
        request,
        "workspace/volunteering/project_form.html",
        _context(workspace, form=form, project=project),
        status=400 if form.is_bound else 200,
    )


@GET_POST
@workspace_view
def project_cancel(request, workspace, project_slug):
    """Cancel a project (a confirmation page first): its coming shifts are cancelled and their
    volunteers told, with the message."""
    project = workspace.project
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_cancel(
                project=project, actor=request.user, message=form.cleaned_data["message"]
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The project is cancelled; its volunteers are told."))
            return _to_project(workspace, project)
    return render(
        request,
        "workspace/volunteering/project_cancel.html",
        _context(workspace, form=form, project=project),
        status=400 if form.is_bound else 200,
    )


def _project_page(request, workspace, project, *, role_form=None, review_form=None, status=200):
    pending = selectors.pending_hours(project=project, page=request.GET.get("hours_page"))
    return render(
        request,
        "workspace/volunteering/project.html",
        _context(
            workspace,
            project=project,
            roles=selectors.project_roles(project=project),
            shifts=selectors.project_shifts(project=project),
            pending=pending,
            role_form=role_form or RoleForm(),
            review_form=review_form or HoursReviewForm(entries=pending.object_list),
            export_form=ExportForm(
                initial={
                    "date_from": timezone.localdate() - dt.timedelta(days=90),
                    "date_to": timezone.localdate(),
                }
            ),
            totals={
                "volunteers": project.verified_volunteers,
                "total_minutes": project.verified_minutes,
            },
        ),
        status=status,
    )


@require_safe
@workspace_view
def project_detail(request, workspace, project_slug):
    """One project: roles (and their repeating shifts), shifts from two weeks ago on with their
    fill, hours waiting for review, and the hours export."""
    project = workspace.project
    return _project_page(request, workspace, project)


@require_POST
@workspace_view
def role_new(request, workspace, project_slug):
    """Add a role (volunteering.services.role_create)."""
    project = workspace.project
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.role_create(project=project, actor=request.user, **form.role_fields())
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The role is added."))
            return _to_project(workspace, project)
    return _project_page(request, workspace, project, role_form=form, status=400)


@GET_POST
@workspace_view
def role_edit(request, workspace, project_slug, role_id):
    """Edit a role (volunteering.services.role_update)."""
    project = workspace.project
    role = selectors.access_workspace_role(project=project, pk=role_id)
    form = RoleForm(
        request.POST or None,
        initial={"name": role.name, "description": role.description, "skills": role.skills},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_update(role=role, actor=request.user, **form.role_fields())
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The role is saved."))
            return _to_project(workspace, project)
    return render(
        request,
        "workspace/volunteering/role_form.html",
        _context(workspace, form=form, project=project, role=role),
        status=400 if form.is_bound else 200,
    )


@GET_POST
@workspace_view
def shift_new(request, workspace, project_slug):
    """A new shift, once (shift_create) or repeating (shift_series_create, its rule built from
    plain choices)."""
    project = workspace.project
    roles = project.roles.order_by("name", "pk")
    form = NewShiftForm(
        request.POST or None,
        roles=roles,
        initial={"timezone": project.timezone, "role": request.GET.get("role")},
    )
    if request.method == "POST" and form.is_valid():
        role = form.cleaned_data["role"]
        role.project = project
        try:
            if form.repeating:
                services.shift_series_create(role=role, actor=request.user, **form.series_fields())
                messages.success(request, _("The repeating shift is created."))
            else:
                shift = services.shift_create(role=role, actor=request.user, **form.shift_fields())
                messages.success(request, _("The shift is created."))
                return _to_shift(workspace, project, shift)
        except ServiceError as error:
            add_service_error(form, _rename(error, {"first_starts_at": "starts_at"}))
        else:
            return _to_project(workspace, project)
    return render(
        request,
        "workspace/volunteering/shift_form.html",
        _context(workspace, form=form, project=project, shift=None, has_roles=roles.exists()),
        status=400 if form.is_bound else 200,
    )


def _rename(error: ServiceError, names: dict[str, str]) -> ServiceError:
    """The service's field names as the form's (a series' first start is the form's start;
    its length comes from the end)."""
    if not hasattr(error, "error_dict"):
        return error
    renamed: dict[str, list] = {}
    for name, errors in error.message_dict.items():
        renamed.setdefault(names.get(name, "ends_at" if name == "duration" else name), []).extend(
            errors
        )
    return ServiceError(renamed)


@GET_POST
@workspace_view
def shift_edit(request, workspace, project_slug, shift_id):
    """Edit one shift (shift_update: volunteers are told when its time or place changes)."""
    project = workspace.project
    shift = selectors.access_workspace_shift(project=project, pk=shift_id)
    initial = {name: getattr(shift, name) for name in ShiftForm.ONE_SHIFT_FIELDS}
    initial["starts_at"] = local_initial(shift.starts_at, shift.timezone)
    initial["ends_at"] = local_initial(shift.ends_at, shift.timezone)
    initial["role"] = shift.role_id
    form = ShiftForm(
        request.POST or None,
        roles=project.roles.filter(pk=shift.role_id),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.shift_update(shift=shift, actor=request.user, **form.shift_fields())
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The shift is saved."))
            return _to_shift(workspace, project, shift)
    return render(
        request,
        "workspace/volunteering/shift_form.html",
        _context(workspace, form=form, project=project, shift=shift, has_roles=True),
        status=400 if form.is_bound else 200,
    )


@require_safe
@workspace_view
def shift_detail(request, workspace, project_slug, shift_id):
    """A shift's people, phone-sized: one button per volunteer signed up checks them in and
    writes their hours for the shift; the waitlist in order."""
    project = workspace.project
    shift = selectors.access_workspace_shift(project=project, pk=shift_id)
    now = timezone.now()
    return render(
        request,
        "workspace/volunteering/shift.html",
        _context(
            workspace,
            project=project,
            shift=shift,
            people=selectors.shift_people(shift=shift),
            check_in_open=not shift.is_cancelled
            and now >= shift.starts_at - hours_services.CHECK_IN_OPENS,
            started=shift.has_started(now),
            cancel_form=CancelForm(),
        ),
    )


@require_POST
@workspace_view
def check_in(request, workspace, project_slug, shift_id, signup_id):
    """Check a volunteer in at the shift: their hours entry for the shift's length is written,
    waiting for review (volunteering.hours.services.shift_check_in; twice is the same entry)."""
    project = workspace.project
    shift = selectors.access_workspace_shift(project=project, pk=shift_id)
    signup = selectors.access_signed_up(shift=shift, pk=signup_id)
    try:
        hours_services.shift_check_in(signup=signup, actor=request.user)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": signup.user.public_name})
    return _to_shift(workspace, project, shift)


@GET_POST
@workspace_view
def shift_cancel(request, workspace, project_slug, shift_id):
    """Cancel a shift with a message to the volunteers signed up and waiting (a confirmation
    page first)."""
    project = workspace.project
    shift = selectors.access_workspace_shift(project=project, pk=shift_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shift_cancel(
                shift=shift, actor=request.user, message=form.cleaned_data["message"]
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The shift is cancelled; its volunteers are told."))
            return _to_shift(workspace, project, shift)
    return render(
        request,
        "workspace/volunteering/shift_cancel.html",
        _context(workspace, form=form, project=project, shift=shift),
        status=400 if form.is_bound else 200,
    )


@GET_POST
@workspace_view
def series_stop(request, workspace, project_slug, series_id):
    """Stop a repeating shift: no more dates; coming ones not edited on their own are
    cancelled and their volunteers told (a confirmation page first)."""
    project = workspace.project
    series = selectors.access_workspace_series(project=project, pk=series_id)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.shift_series_end(
                series=series, actor=request.user, message=form.cleaned_data["message"]
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The shift no longer repeats."))
            return _to_project(workspace, project)
    return render(
        request,
        "workspace/volunteering/series_stop.html",
        _context(workspace, form=form, project=project, series=series),
        status=400 if form.is_bound else 200,
    )


@require_POST
@workspace_view
def hours_review(request, workspace, project_slug):
    """Verify or reject the chosen hours in one go (each through the hours services; one that
    cannot be decided, such as someone's own hours, is reported and the others go on)."""
    project = workspace.project
    pending = selectors.pending_hours_chosen(project=project, ids=request.POST.getlist("entries"))
    form = HoursReviewForm(request.POST, entries=pending)
    if not form.is_valid():
        return _project_page(request, workspace, project, review_form=form, status=400)
    chosen = set(form.cleaned_data["entries"])
    verify = form.cleaned_data["decision"] == "verify"
    note = form.cleaned_data["note"]
    done = 0
    for entry in (e for e in pending if e.pk in chosen):
        try:
            with transaction.atomic():
                if verify:
                    hours_services.hours_entry_verify(entry=entry, actor=request.user, note=note)
                else:
                    hours_services.hours_entry_reject(entry=entry, actor=request.user, note=note)
        except ServiceError as error:
            message_service_error(request, error)
        else:
            done += 1
    if done:
        text = (
            ngettext("%(count)s entry verified.", "%(count)s entries verified.", done)
            if verify
            else ngettext("%(count)s entry rejected.", "%(count)s entries rejected.", done)
        )
        messages.success(request, text % {"count": done})
    return _to_project(workspace, project)


@require_safe
@workspace_view
def hours_export(request, workspace, project_slug):
    """The project's hours ledger between two dates as CSV (the hours app's export: a header
    row, names as members see them, formula cells neutralized)."""
    project = workspace.project
    form = ExportForm(request.GET)
    if not form.is_valid():
        errors = [error for errors in form.errors.values() for error in errors]
        return HttpResponse(" ".join(errors), status=400, content_type="text/plain; charset=utf-8")
    entries = hours_selectors.project_hours(project=project, **form.cleaned_data)
    response = HttpResponse(hours_csv(entries), content_type="text/csv; charset=utf-8")
    name = f"hours-{project.slug}-{timezone.localdate().isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
