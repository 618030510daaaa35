"""The workspace's front pages: the groups the viewer runs with what needs them, and one
group's dashboard."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from events import selectors as event_selectors
from groups import selectors as group_selectors
from volunteering import coordinator_selectors as volunteering_selectors
from workspace import navigation
from workspace.access import workspace_view


@require_safe
@login_required
def index(request):
    """/organize/: each group the viewer organizes or hosts, with pending requests (organizers),
    people waiting for a seat, coming events and hours to verify. Four queries whatever the
    number of groups."""
    memberships = list(group_selectors.workspace_group_list(user=request.user))
    group_ids = [m.group_id for m in memberships]
    summary = event_selectors.workspace_summary(user=request.user, group_ids=group_ids)
    hours = volunteering_selectors.hours_waiting_by_group(user=request.user, group_ids=group_ids)
    rows = [
        {
            "membership": m,
            "group": m.group,
            "organizer": m.role == m.Role.ORGANIZER,
            "pending": m.pending_count if m.role == m.Role.ORGANIZER else 0,
            "waiting": summary.get(m.group_id, {}).get("waiting", 0),
            "upcoming": summary.get(m.group_id, {}).get("upcoming", 0),
            "hours": hours.get(m.group_id, 0),
        }
        for m in memberships
    ]
    return render(request, "workspace/index.html", {"rows": rows})


@require_safe
@workspace_view
def dashboard(request, workspace):
    """/organize/<group>/: what needs the viewer in this group, its coming events with their
    head counts and the latest past ones with who came."""
    user, group, membership = request.user, workspace.group, workspace.membership
    pending = (
        group_selectors.join_request_list(group=group, user=user, membership=membership).count()
        if workspace.runs_group
        else None
    )
    hours = volunteering_selectors.hours_waiting_by_group(user=user, group_ids=[group.pk])
    return render(
        request,
        "workspace/dashboard.html",
        {
            "workspace": workspace,
            "group": group,
            "nav": navigation.links_for(workspace, current="dashboard"),
            "pending": pending,
            "hours_waiting": hours.get(group.pk, 0),
            "upcoming": event_selectors.workspace_events(
                user=user, group=group, membership=membership, limit=5
            ),
            "past": event_selectors.workspace_events(
                user=user, group=group, membership=membership, past=True, limit=3
            ),
        },
    )
