"""CSV exports: the attendees of an event and attendance over dates (organizers and hosts, who
see those lists), and the members of a group (organizers, who see the member list). Each reads
through the same selector as its page."""

import datetime as dt

from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import when
from events import selectors as event_selectors
from events.models import Rsvp
from groups import selectors as group_selectors
from workspace.access import workspace_view
from workspace.csv_export import csv_response
from workspace.forms import DateRangeForm


def _local(value: dt.datetime | None, zone: str) -> str:
    return when.local(value, zone).strftime("%Y-%m-%d %H:%M") if value else ""


@require_safe
@workspace_view
def event_attendees_csv(request, workspace, event_slug):
    """Going, waiting and walk-ins of one event, with guests and arrival times."""
    event = event_selectors.access_workspace_event(
        user=request.user, group=workspace.group, slug=event_slug, membership=workspace.membership
    )
    rsvps = event_selectors.event_attendees(
        user=request.user, event=event, membership=workspace.membership
    )
    walk_ins = event_selectors.event_walk_ins(
        user=request.user, event=event, membership=workspace.membership
    )
    zone = event.timezone
    rows = [
        (
            r.user.public_name,
            r.get_status_display(),
            r.guests,
            _local(r.checked_in_at, zone) if r.status == Rsvp.Status.GOING else "",
        )
        for r in rsvps
    ] + [(w.name, _("Walk-in"), 0, _local(w.created_at, zone)) for w in walk_ins]
    return csv_response(
        name=f"{event.title} attendees",
        header=[_("Name"), _("Status"), _("Guests"), _("Arrived (%(zone)s)") % {"zone": zone}],
        rows=rows,
    )


@require_safe
@workspace_view(organizers_only=True)
def members_csv(request, workspace):
    """The group's active members: name, role, date joined."""
    members = group_selectors.member_list(
        group=workspace.group, user=request.user, membership=workspace.membership, managing=True
    )
    return csv_response(
        name=f"{workspace.group.name} members",
        header=[_("Name"), _("Role"), _("Joined")],
        rows=(
            (m.user.public_name, m.get_role_display(), m.joined_at.date() if m.joined_at else "")
            for m in members
        ),
    )


@require_safe
@workspace_view
def attendance_csv(request, workspace):
    """Who came to the group's past events starting between two dates (whole days in UTC;
    each row gives the start in the event's own zone): one row per person going or walk-in."""
    today = timezone.localdate()
    form = DateRangeForm(request.GET or {"start": today - dt.timedelta(days=90), "end": today})
    if not form.is_valid():
        errors = [error for errors in form.errors.values() for error in errors]
        return HttpResponseBadRequest(" ".join(errors), content_type="text/plain; charset=utf-8")
    start = dt.datetime.combine(form.cleaned_data["start"], dt.time(), tzinfo=dt.UTC)
    end = dt.datetime.combine(
        form.cleaned_data["end"] + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC
    )
    rsvps, walk_ins = event_selectors.attendance_between(
        user=request.user,
        group=workspace.group,
        start=start,
        end=end,
        membership=workspace.membership,
    )
    rows = [
        (
            _local(r.event.starts_at, r.event.timezone),
            r.event.timezone,
            r.event.title,
            r.user.public_name,
            r.guests,
            _("Yes") if r.checked_in_at else _("No"),
        )
        for r in rsvps
    ] + [
        (
            _local(w.event.starts_at, w.event.timezone),
            w.event.timezone,
            w.event.title,
            w.name,
            0,
            _("Walk-in"),
        )
        for w in walk_ins
    ]
    rows.sort(key=lambda row: row[0])
    return csv_response(
        name=f"{workspace.group.name} attendance",
        header=[_("Starts"), _("Time zone"), _("Event"), _("Name"), _("Guests"), _("Came")],
        rows=rows,
    )
