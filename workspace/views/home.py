"""The workspace's front pages: the groups the viewer runs with what needs them, and one
group's dashboard."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core import header
from events import selectors as event_selectors
from groups import selectors as group_selectors
from volunteering import coordinator_selectors as volunteering_selectors
from workspace import navigation
from workspace.access import workspace_view
from workspace.charts import bar_chart
from workspace.insight import group_insight, insight_counts


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
            "reports": m.reports_count if m.role == m.Role.ORGANIZER else 0,
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
    now = timezone.now()
    counts = {
        "hours_waiting": header.count_of(
            volunteering_selectors.hours_waiting_in(user=user, group_ids=[group.pk])
        )
    }
    if workspace.runs_group:
        counts["pending_count"] = header.count_of(
            group_selectors.join_request_list(group=group, user=user, membership=membership)
        )
        counts["open_reports"] = header.count_of(
            group_selectors.report_queue(group=group, user=user, membership=membership).filter(
                status="open"
            )
        )
    # The insight's single numbers are read with these counts: one query for all of them.
    counts.update(insight_counts(group=group, user=user, membership=membership, now=now))
    counted = group_selectors.counts_in_one(group=group, counts=counts)
    insight = group_insight(group=group, user=user, membership=membership, now=now, counted=counted)
    upcoming, past = event_selectors.workspace_events_around(
        user=user, group=group, membership=membership, upcoming=5, past=3
    )
    return render(
        request,
        "workspace/dashboard.html",
        navigation.page_context(
            workspace,
            section="dashboard",
            pending=counted.get("pending_count"),
            hours_waiting=counted["hours_waiting"],
            reports=counted.get("open_reports"),
            insight=insight,
            charts=_charts(insight),
            upcoming=upcoming,
            past=past,
        ),
    )


def _charts(insight) -> list:
    """The dashboard's charts from the insight numbers (the same numbers as their tables)."""
    month = lambda m: date_format(m.start, "M Y")  # noqa: E731
    charts = [
        bar_chart(
            key="attendance",
            title=_("Attendance per event"),
            description=_("People who came (checked in) out of those going, for recent events."),
            columns=(_("Event"), _("Came of going")),
            rows=[
                (
                    f"{date_format(e.starts_at, 'j M')} {e.title}",
                    e.came,
                    _("%(came)s of %(going)s") % {"came": e.came, "going": e.going},
                )
                for e in insight.events
            ],
        ),
        bar_chart(
            key="first-timers",
            title=_("First-timers per month"),
            description=_("People who came to one of the group's events for the first time."),
            columns=(_("Month"), _("First-timers")),
            rows=[(month(m), m.first_timers, m.first_timers) for m in insight.months],
        ),
        bar_chart(
            key="returning",
            title=_("New and returning attendees per month"),
            description=_("Check-ins by people who came before, beside first-timers."),
            columns=(_("Month"), _("New / returning")),
            rows=[
                (
                    month(m),
                    m.first_timers + m.returning,
                    _("%(new)s new, %(returning)s returning")
                    % {"new": m.first_timers, "returning": m.returning},
                )
                for m in insight.months
            ],
        ),
        bar_chart(
            key="hours",
            title=_("Volunteer hours per month"),
            description=_("Verified volunteer hours for the group's projects."),
            columns=(_("Month"), _("Hours")),
            rows=[(month(m), m.volunteer_hours, m.volunteer_hours) for m in insight.months],
        ),
    ]
    return charts
