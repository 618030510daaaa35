"""The workspace's front pages: the groups the viewer runs with what needs them, and one
group's dashboard."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from events import selectors as event_selectors
from groups import selectors as group_selectors
from workspace import navigation
from workspace.access import workspace_view


@require_safe
@login_required
def index(request):
    """/organize/: each group the viewer organizes or hosts, with pending requests (organizers),
    people waiting for a seat and coming events. Three queries whatever the number of groups."""
    memberships = list(group_selectors.workspace_group_list(user=request.user))
    summary = event_selectors.workspace_summary(
        user=request.user, group_ids=[m.group_id for m in memberships]
    )
    rows = [
        {
            "membership": m,
            "group": m.group,
            "organizer": m.role == m.Role.ORGANIZER,
            "pending": m.pending_count if m.role == m.Role.ORGANIZER else 0,
            "reports": m.reports_count if m.role == m.Role.ORGANIZER else 0,
            "waiting": summary.get(m.group_id, {}).get("waiting", 0),
            "upcoming": summary.get(m.group_id, {}).get("upcoming", 0),
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
    reports = (
        group_selectors.report_queue(group=group, user=user, membership=membership)
        .filter(status="open")
        .count()
        if workspace.runs_group
        else None
    )
    return render(
        request,
        "workspace/dashboard.html",
        {
            "workspace": workspace,
            "group": group,
            "nav": navigation.links_for(workspace, current="dashboard"),
            "pending": pending,
            "reports": reports,
            "upcoming": event_selectors.workspace_events(
                user=user, group=group, membership=membership, limit=5
            ),
            "past": event_selectors.workspace_events(
                user=user, group=group, membership=membership, past=True, limit=3
            ),
        },
    )
