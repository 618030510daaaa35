"""The group's activity log as a page (organizers only), with filters: what happened, who did
it (a person, the system, an API client) and dates."""

import datetime as dt

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from core.exceptions import NotFound
from groups import selectors
from workspace import navigation
from workspace.access import workspace_view
from workspace.forms import ActivityFilterForm


@require_safe
@workspace_view(organizers_only=True)
def activity_log(request, workspace):
    """Newest first, paged; bad filters are shown as form errors and filter nothing."""
    user, group, membership = request.user, workspace.group, workspace.membership
    verbs = selectors.group_activity_verbs(group=group, user=user, membership=membership)
    form = ActivityFilterForm(request.GET or None, verbs=verbs)
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {"verb": data["verb"], "actor_kind": data["actor_kind"]}
        if data["start"]:
            filters["since"] = dt.datetime.combine(data["start"], dt.time(), tzinfo=dt.UTC)
        if data["end"]:
            filters["until"] = dt.datetime.combine(
                data["end"] + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC
            )
    rows = selectors.group_activity(group=group, user=user, membership=membership, **filters)
    try:
        page = Paginator(rows, settings.PAGE_SIZE).page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise NotFound from exc
    return render(
        request,
        "workspace/activity.html",
        navigation.page_context(
            workspace,
            section="activity",
            form=form,
            page=page,
        ),
    )
