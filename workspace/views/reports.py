"""The group's moderation queue (organizers only): reports about its events and its members'
conduct, decided through groups.reports.report_decide. Who filed a report is never shown."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.exceptions import ServiceError
from core.web import add_service_error
from groups import selectors
from groups.reports import report_decide
from workspace import navigation
from workspace.access import workspace_view
from workspace.forms import ReportDecisionForm

# Decided reports shown under the open ones (the log keeps them all).
DECIDED_SHOWN = 20


def _render(request, workspace, *, form=None, form_for=None, status=200):
    queue = selectors.report_queue(
        group=workspace.group, user=request.user, membership=workspace.membership
    )
    open_reports = list(queue.filter(status="open"))
    decided = list(queue.exclude(status="open")[:DECIDED_SHOWN])
    for report in open_reports:
        report.form = form if form_for == report.pk else ReportDecisionForm(prefix=f"r{report.pk}")
    return render(
        request,
        "workspace/reports.html",
        navigation.page_context(
            workspace,
            section="reports",
            open_reports=open_reports,
            decided=decided,
        ),
        status=status,
    )


@require_safe
@workspace_view(organizers_only=True)
def report_list(request, workspace):
    """Open reports with a decision form each, then the latest decided ones."""
    return _render(request, workspace)


@require_http_methods(["POST"])
@workspace_view(organizers_only=True)
def report_decide_view(request, workspace, report_id):
    """Record what was done about one report."""
    report = selectors.access_group_report(
        group=workspace.group, user=request.user, pk=report_id, membership=workspace.membership
    )
    if not report.is_open:
        messages.error(request, _("This report was already decided."))
        return redirect("workspace:reports", workspace.group.slug)
    form = ReportDecisionForm(request.POST, prefix=f"r{report.pk}")
    if form.is_valid():
        try:
            report_decide(
                report=report,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("workspace:reports", workspace.group.slug)
    return _render(request, workspace, form=form, form_for=report.pk, status=400)
