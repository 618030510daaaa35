"""The events part of a group's workspace: its events with head counts, one event's people
(going, waiting, who came), check-in at the door and walk-ins, and a printable sign-in sheet.
Every write goes through events.services; every list through events.selectors."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.exceptions import ServiceError
from core.web import add_service_error, message_service_error
from events import selectors, services
from events.models import Rsvp
from events.services.attendance import check_in_open
from workspace import navigation
from workspace.access import workspace_view
from workspace.forms import CapacityForm, DateRangeForm, WalkInForm


def _context(workspace, **extra) -> dict:
    return navigation.page_context(workspace, section="events", **extra)


def _event(request, workspace, event_slug):
    return selectors.access_workspace_event(
        user=request.user,
        group=workspace.group,
        slug=event_slug,
        membership=workspace.membership,
    )


@require_safe
@workspace_view
def event_list(request, workspace):
    """The group's coming events and the past ones, with head counts and who came."""
    upcoming, past = selectors.workspace_events_around(
        user=request.user,
        group=workspace.group,
        membership=workspace.membership,
        upcoming=50,
        past=50,
    )
    return render(
        request,
        "workspace/events.html",
        _context(
            workspace,
            upcoming=upcoming,
            past=past,
            range_form=DateRangeForm(
                initial={
                    "start": timezone.localdate() - dt.timedelta(days=90),
                    "end": timezone.localdate(),
                }
            ),
        ),
    )


@require_safe
@workspace_view
def event_detail(request, workspace, event_slug):
    """One event's people: going (with guests and whether they came), the waitlist in order,
    walk-ins, and the head count."""
    event = _event(request, workspace, event_slug)
    membership = workspace.membership
    attendees = list(
        selectors.event_attendees(user=request.user, event=event, membership=membership)
    )
    return render(
        request,
        "workspace/event.html",
        _context(
            workspace,
            event=event,
            going=[r for r in attendees if r.status == Rsvp.Status.GOING],
            waitlisted=[r for r in attendees if r.status == Rsvp.Status.WAITLISTED],
            walk_ins=selectors.event_walk_ins(
                user=request.user, event=event, membership=membership
            ),
            capacity_form=CapacityForm(initial={"capacity": event.capacity}),
            ended=event.has_ended(),
            check_in_open=check_in_open(event),
        ),
    )


@require_safe
@workspace_view
def check_in(request, workspace, event_slug):
    """The door list, phone-sized: one button per person going marks them (and their guests)
    arrived; walk-ins are added by name."""
    event = _event(request, workspace, event_slug)
    door = selectors.check_in_list(user=request.user, event=event, membership=workspace.membership)
    return render(
        request,
        "workspace/check_in.html",
        _context(
            workspace,
            event=event,
            door=door,
            form=WalkInForm(),
            check_in_open=check_in_open(event),
        ),
    )


def _back_to_door(workspace, event):
    return redirect("workspace:check_in", workspace.group.slug, event.slug)


@require_POST
@workspace_view
def check_in_mark(request, workspace, event_slug, rsvp_id):
    """Mark one person going as arrived (or undo it, with `arrived=0`)."""
    event = _event(request, workspace, event_slug)
    rsvp = selectors.access_going_rsvp(
        user=request.user, event=event, pk=rsvp_id, membership=workspace.membership
    )
    arrived = request.POST.get("arrived", "1") != "0"
    try:
        services.rsvp_check_in(rsvp=rsvp, actor=request.user, arrived=arrived)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        name = rsvp.user.public_name
        if arrived:
            messages.success(request, _("%(name)s is checked in.") % {"name": name})
        else:
            messages.success(request, _("%(name)s is no longer checked in.") % {"name": name})
    return _back_to_door(workspace, event)


@require_POST
@workspace_view
def walk_in_add(request, workspace, event_slug):
    """Add a walk-in by name."""
    event = _event(request, workspace, event_slug)
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            services.walk_in_add(event=event, actor=request.user, name=form.cleaned_data["name"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("%(name)s is added as a walk-in.") % {"name": form.cleaned_data["name"]}
            )
            return _back_to_door(workspace, event)
    door = selectors.check_in_list(user=request.user, event=event, membership=workspace.membership)
    return render(
        request,
        "workspace/check_in.html",
        _context(workspace, event=event, door=door, form=form, check_in_open=check_in_open(event)),
        status=400,
    )


@require_POST
@workspace_view
def walk_in_remove(request, workspace, event_slug, walk_in_id):
    """Take back a walk-in added by mistake."""
    event = _event(request, workspace, event_slug)
    walk_in = selectors.access_walk_in(user=request.user, event=event, pk=walk_in_id)
    try:
        services.walk_in_remove(walk_in=walk_in, actor=request.user)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(request, _("The walk-in is removed."))
    return _back_to_door(workspace, event)


@require_safe
@workspace_view
def sign_in_sheet(request, workspace, event_slug):
    """A printable sheet: the names of people going with a box to sign, and blank lines."""
    event = _event(request, workspace, event_slug)
    door = selectors.check_in_list(user=request.user, event=event, membership=workspace.membership)
    return render(
        request,
        "workspace/sign_in_sheet.html",
        {
            "workspace": workspace,
            "group": workspace.group,
            "event": event,
            "door": door,
            "blank_lines": range(10),
        },
    )


def _back_to_event(workspace, event):
    return redirect("workspace:event", workspace.group.slug, event.slug)


@require_POST
@workspace_view
def event_capacity(request, workspace, event_slug):
    """Change the capacity from the people list (events.services.event_update: more seats go
    to the waitlist in order)."""
    event = _event(request, workspace, event_slug)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return _back_to_event(workspace, event)
    try:
        services.event_update(
            event=event, actor=request.user, capacity=form.cleaned_data["capacity"]
        )
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(request, _("The capacity is changed."))
    return _back_to_event(workspace, event)


@require_POST
@workspace_view
def waitlist_admit(request, workspace, event_slug, rsvp_id):
    """Move someone off the waitlist, out of turn (events.services.rsvp_admit)."""
    event = _event(request, workspace, event_slug)
    rsvp = selectors.access_waitlisted_rsvp(
        user=request.user, event=event, pk=rsvp_id, membership=workspace.membership
    )
    try:
        services.rsvp_admit(rsvp=rsvp, actor=request.user)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(request, _("%(name)s is now going.") % {"name": rsvp.user.public_name})
    return _back_to_event(workspace, event)


@require_safe
@workspace_view
def member_attendance(request, workspace, user_id):
    """One member's attendance at the group's past events."""
    history = selectors.member_attendance(
        user=request.user, group=workspace.group, member_id=user_id, membership=workspace.membership
    )
    return render(request, "workspace/member_attendance.html", _context(workspace, history=history))
