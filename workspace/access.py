"""One decorator for every page of a group's workspace: it loads the group and the viewer's
role once per request (groups.selectors.access_workspace_group: organizers and hosts, and site
moderators inside a moderation session; 404 for anyone else) and hands them to the view; under
a volunteer project's address (`project_slug`) the project too, in the same query."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext_lazy as _

from core.exceptions import NotFound
from groups import permissions
from groups.models import Group, Membership
from groups.selectors import access_workspace_group
from volunteering.coordinator_selectors import access_workspace_group_project


@dataclass(frozen=True)
class Workspace:
    """The group being run and who is running it."""

    group: Group
    membership: Membership | None
    runs_group: bool  # organizers (and moderators): members, roles, messages, exports
    role_label: str
    user: object = None  # who is running it (the request's user)
    project: object = None  # the volunteer project, on pages under one

    @property
    def role(self) -> str:
        return self.membership.role if self.membership is not None else "moderator"


def _role_label(membership: Membership | None) -> str:
    if membership is None:
        return str(_("Site moderator"))
    return membership.get_role_display()


def load_workspace(request, group_slug: str, project_slug: str | None = None) -> Workspace:
    """The workspace; under a volunteer project's address, with the project, read in the same
    query as the group and the membership."""
    project = None
    if project_slug is None:
        group, membership = access_workspace_group(user=request.user, slug=group_slug)
    else:
        group, membership, project = access_workspace_group_project(
            user=request.user, group_slug=group_slug, slug=project_slug
        )
    return Workspace(
        project=project,
        group=group,
        membership=membership,
        runs_group=permissions.can_manage_group(request.user, group, membership=membership),
        role_label=_role_label(membership),
        user=request.user,
    )


def workspace_view(view=None, *, organizers_only: bool = False):
    """Decorate a view taking `(request, workspace, **kwargs)` under `<group_slug>/`. With
    `organizers_only`, hosts get the same 404 as outsiders."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(request, group_slug, **kwargs):
            workspace = load_workspace(request, group_slug, kwargs.get("project_slug"))
            if organizers_only and not workspace.runs_group:
                raise NotFound
            request.workspace = workspace
            return func(request, workspace, **kwargs)

        return login_required(wrapper)

    return decorate(view) if view is not None else decorate
