"""The members part of a group's workspace (organizers only): requests to join decided in
bulk (a decline may carry a kind note), roles with what each may do, removing and banning
behind a confirmation page with a reason, and lifting bans. Writes go through groups.services,
lists through groups.selectors."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.exceptions import NotFound, ServiceError
from core.paging import page_of
from core.web import add_service_error, message_service_error
from groups import permissions, selectors, services
from groups.models import Membership
from groups.notifications import ROLE_DESCRIPTIONS
from workspace import navigation
from workspace.access import workspace_view
from workspace.forms import ReasonForm, RequestsDecisionForm, RoleForm


def _context(workspace, **extra) -> dict:
    return navigation.page_context(workspace, section="members", **extra)


def _requests(request, workspace):
    return list(
        selectors.join_request_list(
            group=workspace.group, user=request.user, membership=workspace.membership
        )
    )


def _role_choices():
    return [(role.value, f"{role.label}: {ROLE_DESCRIPTIONS[role]}") for role in Membership.Role]


def _hosts_remove(workspace) -> None:
    """Hosts open the members pages only to remove plain members, and only when they may see
    the member list (the role table); 404 otherwise, as for outsiders."""
    if not workspace.runs_group and not permissions.can_remove_members(
        workspace.user, workspace.group, membership=workspace.membership
    ):
        raise NotFound


@require_safe
@workspace_view
def member_list(request, workspace):
    """Requests to join, the members with their roles, and the people banned (organizers); the
    members with a way to remove plain members (hosts who may see the member list)."""
    _hosts_remove(workspace)
    user, group, membership = request.user, workspace.group, workspace.membership
    if not workspace.runs_group:
        return render(
            request,
            "workspace/members.html",
            _context(
                workspace,
                requests=[],
                page=_page(
                    request,
                    # Hosts do not run the group: people blocked either way stay hidden.
                    selectors.member_list(group=group, user=user, membership=membership),
                ),
                banned=[],
            ),
        )
    requests, banned = _requests_and_banned(request, workspace)
    return render(
        request,
        "workspace/members.html",
        _context(
            workspace,
            requests=requests,
            decision_form=RequestsDecisionForm(requests=requests),
            page=_page(
                request,
                selectors.member_list(group=group, user=user, membership=membership, managing=True),
            ),
            banned=banned,
        ),
    )


def _requests_and_banned(request, workspace) -> tuple[list, list]:
    """The requests to join (oldest first) and the people banned (latest first), read in one
    query: the two selectors' rows in UNION ALL, put back in their orders."""
    group, membership = workspace.group, workspace.membership
    requests = selectors.join_request_list(group=group, user=request.user, membership=membership)
    banned = selectors.banned_list(group=group, user=request.user, membership=membership)
    rows = list(requests.order_by().union(banned.order_by(), all=True))
    pending = [m for m in rows if m.status == Membership.Status.PENDING]
    pending.sort(key=lambda m: (m.created_at, m.pk))
    bans = [m for m in rows if m.status == Membership.Status.BANNED]
    bans.sort(key=lambda m: (m.updated_at, m.pk), reverse=True)
    return pending, bans


@require_POST
@workspace_view(organizers_only=True)
def requests_decide(request, workspace):
    """Approve or decline the chosen requests, each through its service."""
    requests = _requests(request, workspace)
    form = RequestsDecisionForm(request.POST, requests=requests)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("workspace:members", workspace.group.slug)
    chosen = [m for m in requests if m.user_id in set(form.cleaned_data["people"])]
    approve = form.cleaned_data["decision"] == "approve"
    done = 0
    for pending in chosen:
        try:
            if approve:
                services.membership_approve(membership=pending, actor=request.user)
            else:
                services.membership_decline(
                    membership=pending, actor=request.user, note=form.cleaned_data["note"]
                )
        except ServiceError as error:
            message_service_error(request, error)
        else:
            done += 1
    if done:
        text = (
            _("%(n)s approved; they are told.") if approve else _("%(n)s declined; they are told.")
        )
        messages.success(request, text % {"n": done})
    return redirect("workspace:members", workspace.group.slug)


def _page(request, queryset):
    """A page of members without counting them all (core.paging); 404 past the last page."""
    page = page_of(queryset, request.GET.get("page") or 1, settings.PAGE_SIZE)
    if page is None:
        raise NotFound
    return page


def _member(request, workspace, user_id) -> Membership:
    return selectors.membership_for_management(
        group=workspace.group, user=request.user, user_id=user_id, membership=workspace.membership
    )


@require_http_methods(["GET", "HEAD", "POST"])
@workspace_view(organizers_only=True)
def member_role(request, workspace, user_id):
    """Choose a member's role, each described."""
    target = _member(request, workspace, user_id)
    form = RoleForm(
        request.POST if request.method == "POST" else None,
        roles=_role_choices(),
        initial={"role": target.role},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_set_role(
                membership=target, actor=request.user, role=form.cleaned_data["role"]
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The role is changed."))
            return redirect("workspace:members", workspace.group.slug)
    return render(
        request, "workspace/member_role.html", _context(workspace, target=target, form=form)
    )


def _confirm(request, workspace, user_id, *, act, template, done):
    target = _member(request, workspace, user_id)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            act(target, form.cleaned_data["reason"])
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done % {"name": target.user.public_name})
            return redirect("workspace:members", workspace.group.slug)
    return render(request, template, _context(workspace, target=target, form=form))


@require_http_methods(["GET", "HEAD", "POST"])
@workspace_view
def member_remove(request, workspace, user_id):
    """Confirm removing someone, with a reason they are told: organizers remove anyone else,
    hosts plain members only (anyone else answers 404 to a host)."""
    _hosts_remove(workspace)
    if not workspace.runs_group:
        target = _member(request, workspace, user_id)
        if not permissions.can_remove_member(request.user, target, membership=workspace.membership):
            raise NotFound
    return _confirm(
        request,
        workspace,
        user_id,
        act=lambda target, reason: services.membership_remove(
            membership=target, actor=request.user, reason=reason
        ),
        template="workspace/member_remove.html",
        done=_("%(name)s is removed and told."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@workspace_view(organizers_only=True)
def member_ban(request, workspace, user_id):
    """Confirm banning someone, with a reason kept in the activity log (they are not told)."""
    return _confirm(
        request,
        workspace,
        user_id,
        act=lambda target, reason: services.membership_ban(
            membership=target, actor=request.user, reason=reason
        ),
        template="workspace/member_ban.html",
        done=_("%(name)s is banned."),
    )


@require_POST
@workspace_view(organizers_only=True)
def member_unban(request, workspace, user_id):
    """Lift a ban: the person may ask to join again."""
    target = _member(request, workspace, user_id)
    try:
        services.membership_unban(membership=target, actor=request.user)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(
            request, _("The ban on %(name)s is lifted.") % {"name": target.user.public_name}
        )
    return redirect("workspace:members", workspace.group.slug)
