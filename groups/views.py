"""The groups website: directory, group pages, joining and leaving, members and organizers' tools.

Views stay thin: selectors decide what a user may see (their NotFound is the 404, turned so by
core.web.NotFoundMiddleware), services decide what a user may do. Every view names the HTTP
methods it answers.
"""

import copy
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.services import block_create
from core.exceptions import NotAllowed, NotFound, ServiceError
from core.pagecache import cached_for_visitors
from core.paging import MAX_PAGE, browse_depth, page_of
from core.ratelimit import rate_limited
from core.web import add_service_error, message_service_error
from groups import leaving, permissions, sections, selectors, services
from groups.forms import (
    ContactOrganizersForm,
    GroupFilterForm,
    GroupForm,
    JoinForm,
    ReportForm,
    RoleForm,
)
from groups.models import Group, Membership, Report
from groups.reports import report_create


def _page(request, queryset, *, searchable: bool = False):
    """One page of `queryset`; the page size may be asked for but is capped. 404 on a bad page
    (or, in a searchable list, one deeper than core.paging.browse_depth)."""
    try:
        per_page = int(request.GET.get("per_page", settings.PAGE_SIZE))
    except ValueError:
        per_page = settings.PAGE_SIZE
    per_page = min(max(per_page, 1), settings.MAX_PAGE_SIZE)
    deepest = browse_depth(per_page) if searchable else MAX_PAGE
    page = page_of(queryset, request.GET.get("page") or 1, per_page, deepest)
    if page is None:
        raise NotFound
    return page


def _posted(request):
    """The submitted data on POST (even when empty, so the form is bound), None otherwise."""
    return request.POST if request.method == "POST" else None


def _load(request, slug):
    """The group the user may open and the user's membership of it (None when there is none)."""
    return selectors.access_group_with_membership(user=request.user, slug=slug)


@require_GET
@cached_for_visitors
def group_list(request):
    """The directory of groups, searchable by text, category and city."""
    form = GroupFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()
        # Filters that are valid still apply; a bad one is reported beside its field.
        filters = form.cleaned_data
    page = _page(
        request,
        selectors.group_list_visible(user=request.user, filters=filters),
        searchable=True,
    )
    return render(request, "groups/group_list.html", {"form": form, "page": page})


@require_GET
@login_required
def my_groups(request):
    """The groups the user belongs to or asked to join, a page at a time."""
    page = _page(request, selectors.group_list_for_member(user=request.user))
    return render(request, "groups/my_groups.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
@rate_limited("group_create")
def group_create(request):
    """Anyone with an account can start a group and becomes its organizer."""
    form = GroupForm(_posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your group is ready. Welcome, organizer!"))
            return redirect(group)
    return render(request, "groups/group_form.html", {"form": form, "group": None})


def reply_time_label(wait: dt.timedelta) -> str:
    """How soon organizers usually reply, in words ("usually within a day")."""
    if wait <= dt.timedelta(hours=1):
        return _("Organizers usually reply within an hour.")
    if wait <= dt.timedelta(days=1):
        return _("Organizers usually reply within a day.")
    if wait <= dt.timedelta(days=3):
        return _("Organizers usually reply within a few days.")
    if wait <= dt.timedelta(days=7):
        return _("Organizers usually reply within a week.")
    return _("Organizers usually take more than a week to reply.")


@require_GET
@cached_for_visitors
def group_detail(request, slug):
    """A group's page: outsiders of a private group see only its name, description and how to
    ask to join. Other apps fill its sections (groups.sections)."""
    group, membership = _load(request, slug)
    user = request.user
    can_view_content = permissions.can_view_group_content(user, group, membership=membership)
    context = {
        "group": group,
        "membership": membership,
        "is_member": permissions.is_active_member(user, group, membership=membership),
        "is_banned": membership is not None and membership.status == Membership.Status.BANNED,
        "is_pending": membership is not None and membership.status == Membership.Status.PENDING,
        "can_view_content": can_view_content,
        "can_view_members": permissions.can_view_members(user, group, membership=membership),
        "can_manage": permissions.can_manage_group(user, group, membership=membership),
        "can_contact": permissions.can_contact_organizers(user, group, membership=membership),
        "sections": (
            sections.sections_for(group=group, user=user, membership=membership)
            if can_view_content
            else []
        ),
        "outsider": selectors.outsider_view(group=group, user=user, membership=membership),
    }
    if wait := context["outsider"].get("reply_time"):
        context["reply_time"] = reply_time_label(wait)
    return render(request, "groups/group_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def group_edit(request, slug):
    """Organizers change the group's details."""
    group, membership = _load(request, slug)
    if not permissions.can_manage_group(request.user, group, membership=membership):
        raise NotFound
    # The form works on a copy so that a rejected edit does not show up in the page's heading.
    form = GroupForm(_posted(request), request.FILES or None, instance=copy.copy(group))
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(group=group, actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The group's details are saved."))
            return redirect(group)
    return render(request, "groups/group_form.html", {"form": form, "group": group})


@require_http_methods(["GET", "POST"])
@login_required
def group_delete(request, slug):
    """Organizers close the group: GET asks them to confirm, POST closes it for good."""
    group, membership = _load(request, slug)
    if not permissions.can_manage_group(request.user, group, membership=membership):
        raise NotFound
    if request.method == "POST":
        try:
            services.group_delete(group=group, actor=request.user)
        except ServiceError as error:
            message_service_error(request, error)
            return redirect(group)
        messages.success(request, _("%(group)s is closed.") % {"group": group.name})
        return redirect("groups:mine")
    return render(request, "groups/group_delete.html", {"group": group})


@require_http_methods(["GET", "POST"])
@login_required
@rate_limited("join_request")
def group_join(request, slug):
    """GET asks the organizers' question (or just confirms); POST joins or asks to join."""
    group, membership = _load(request, slug)
    if membership is not None:
        if membership.status == Membership.Status.BANNED:
            messages.error(request, _("You can't join this group."))
        elif membership.status == Membership.Status.PENDING:
            messages.info(request, _("Your request to join is waiting for an organizer."))
        else:
            messages.info(request, _("You are already a member of this group."))
        return redirect(group)
    form = JoinForm(_posted(request), group=group)
    if request.method == "POST" and form.is_valid():
        try:
            joined = services.membership_join(
                group=group, actor=request.user, answer=form.cleaned_data.get("answer", "")
            )
        except NotAllowed as error:
            if permissions.can_view_group(request.user, group, membership=None):
                message_service_error(request, error)
                return redirect(group)
            raise NotFound from error
        except ServiceError as error:
            add_service_error(form, error)
        else:
            if joined.status == Membership.Status.PENDING:
                messages.success(
                    request,
                    _("Thanks! The organizers will look at your request to join soon."),
                )
            else:
                messages.success(request, _("Welcome to %(group)s!") % {"group": group.name})
            return redirect(group)
    after_request = group.after_request if group.join_policy == Group.JoinPolicy.APPROVAL else ""
    if group.is_private and not group.outsiders_see_after_request:
        after_request = ""
    context = {"group": group, "form": form, "after_request": after_request}
    return render(request, "groups/group_join.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def group_leave(request, slug):
    """GET says what leaving gives up (coming events and shifts, whether rejoining needs
    approval) and asks to confirm; POST leaves the group, or withdraws a request to join (even
    one to a group that has since become hidden: the request is the person's own)."""
    membership = selectors.membership_get_own(user=request.user, slug=slug)
    if membership is None:
        group = selectors.access_group(user=request.user, slug=slug)
        messages.info(request, _("You are not a member of this group."))
        return redirect(group)
    group = membership.group
    was_pending = membership.status == Membership.Status.PENDING
    if request.method == "GET":
        context = {
            "group": group,
            "membership": membership,
            "is_pending": was_pending,
            "given_up": [] if was_pending else leaving.given_up_by(membership=membership),
            "needs_approval": group.join_policy == Group.JoinPolicy.APPROVAL,
            "hidden_after": group.is_private and not group.listed_when_private,
            "last_organizer": selectors.is_last_organizer(membership=membership),
        }
        return render(request, "groups/group_leave.html", context)
    try:
        services.membership_leave(membership=membership, actor=request.user)
    except ServiceError as error:
        message_service_error(request, error)
        return redirect(group)
    if was_pending:
        messages.success(request, _("Your request to join is withdrawn."))
    else:
        messages.success(request, _("You have left %(group)s.") % {"group": group.name})
    if permissions.can_view_group(request.user, group, membership=None):
        return redirect(group)
    return redirect("groups:mine")


@require_GET
@login_required
def member_list(request, slug):
    """Who belongs to the group: public names and roles only, never contact details."""
    group, membership = _load(request, slug)
    user = request.user
    page = _page(request, selectors.member_list(group=group, user=user, membership=membership))
    rows = [
        {
            "membership": member,
            "can_remove": permissions.can_remove_member(user, member, membership=membership),
            "role_form": RoleForm(
                initial={"role": member.role}, auto_id=f"id_member_{member.user_id}_%s"
            ),
        }
        for member in page.object_list
    ]
    context = {
        "group": group,
        "page": page,
        "rows": rows,
        "me": membership,
        "can_manage": permissions.can_manage_group(user, group, membership=membership),
        "can_act": permissions.can_remove_members(user, group, membership=membership),
    }
    return render(request, "groups/member_list.html", context)


@require_GET
@login_required
def member_detail(request, slug, user_id):
    """A member's profile within the group, for people who may see the member list."""
    group, membership = _load(request, slug)
    member = selectors.member_get(
        group=group, user=request.user, user_id=user_id, membership=membership
    )
    return render(request, "groups/member_detail.html", {"group": group, "member": member})


@require_GET
@login_required
def join_request_list(request, slug):
    """Organizers see pending requests to join, with the answers to their question, and the
    people they banned."""
    group, membership = _load(request, slug)
    context = {
        "group": group,
        "requests": selectors.join_request_list(
            group=group, user=request.user, membership=membership
        ),
        "banned": selectors.banned_list(group=group, user=request.user, membership=membership),
    }
    return render(request, "groups/join_requests.html", context)


def _member_action(request, slug, user_id, *, allowed, act, success, next_page):
    """Run an organizers' action on one membership: 404 to anyone who may not act on the
    group's members at all; the service's refusal becomes a message."""
    group, membership = _load(request, slug)
    if not allowed(request.user, group, membership=membership):
        raise NotFound
    # Pending requests and bans are the organizers' business: to anyone else they do not
    # exist, exactly like a person who never asked to join (the selector's rule).
    target = selectors.membership_for_management(
        group=group, user=request.user, user_id=user_id, membership=membership
    )
    try:
        act(membership=target, actor=request.user)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(request, success(target))
    return redirect(next_page, slug=group.slug)


def _member_action_view(*, allowed, act, success, next_page):
    """A POST-only view that runs `act` on one membership of the group (see _member_action)."""

    @require_POST
    @login_required
    def view(request, slug, user_id):
        return _member_action(
            request,
            slug,
            user_id,
            allowed=allowed,
            act=act,
            success=success,
            next_page=next_page,
        )

    view.__doc__ = act.__doc__
    return view


join_request_approve = _member_action_view(
    allowed=permissions.can_manage_group,
    act=services.membership_approve,
    success=lambda m: _("%(name)s is now a member.") % {"name": m.user.public_name},
    next_page="groups:requests",
)
join_request_decline = _member_action_view(
    allowed=permissions.can_manage_group,
    act=services.membership_decline,
    success=lambda m: _("The request from %(name)s is declined.") % {"name": m.user.public_name},
    next_page="groups:requests",
)
member_remove = _member_action_view(
    allowed=permissions.can_remove_members,
    act=services.membership_remove,
    success=lambda m: _("%(name)s was removed from the group.") % {"name": m.user.public_name},
    next_page="groups:members",
)
member_ban = _member_action_view(
    allowed=permissions.can_manage_group,
    act=services.membership_ban,
    success=lambda m: (
        _("%(name)s was removed and can't join again.") % {"name": m.user.public_name}
    ),
    next_page="groups:members",
)

member_unban = _member_action_view(
    allowed=permissions.can_manage_group,
    act=services.membership_unban,
    success=lambda m: (
        _("%(name)s is no longer banned and may ask to join again.") % {"name": m.user.public_name}
    ),
    next_page="groups:requests",
)


@require_POST
@login_required
def member_set_role(request, slug, user_id):
    """Organizers make a member an organizer, a host or a plain member."""
    form = RoleForm(request.POST)
    if not form.is_valid():
        # Still 404 to people who may not act here, before saying anything about the form.
        group, membership = _load(request, slug)
        if not permissions.can_manage_group(request.user, group, membership=membership):
            raise NotFound
        messages.error(request, _("Please choose one of the roles."))
        return redirect("groups:members", slug=group.slug)

    def act(*, membership, actor):
        services.membership_set_role(
            membership=membership, actor=actor, role=form.cleaned_data["role"]
        )

    return _member_action(
        request,
        slug,
        user_id,
        allowed=permissions.can_manage_group,
        act=act,
        success=lambda m: (
            _("%(name)s is now: %(role)s.")
            % {"name": m.user.public_name, "role": m.get_role_display()}
        ),
        next_page="groups:members",
    )


def file_report(request, *, group, about, subject, label, back, reported_user=None):
    """The report page for anything on the site (a member, an event, a group): a reason, then
    groups.reports.report_create. Callers load `subject` through their selectors first, so
    what the person may not see answers 404 before this."""
    form = ReportForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            report_create(
                actor=request.user,
                group=group,
                about=about,
                subject=subject,
                reported_user=reported_user,
                reason=form.cleaned_data["reason"],
                subject_label=label,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("Thank you: your report was sent to the people who review it.")
            )
            return redirect(back)
    return render(
        request,
        "groups/report.html",
        {"form": form, "label": label, "back": back, "about": about},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@rate_limited("report")
def group_report(request, slug):
    """Report the group itself (it goes to the site's moderators)."""
    group, _membership = _load(request, slug)
    return file_report(
        request,
        group=group,
        about=Report.About.GROUP,
        subject=group,
        label=group.name,
        back=group.get_absolute_url(),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@rate_limited("report")
def member_report(request, slug, user_id):
    """Report a member's conduct in the group: to its organizers, or to the site's moderators
    when the member is an organizer."""
    group, membership = _load(request, slug)
    member = selectors.member_get(
        group=group, user=request.user, user_id=user_id, membership=membership
    )
    return file_report(
        request,
        group=group,
        about=Report.About.MEMBER,
        subject=member.user,
        reported_user=member.user,
        label=member.user.public_name,
        back=group.get_absolute_url(),
    )


@require_POST
@login_required
def member_block(request, slug, user_id):
    """Block a member: each disappears from the other's view and neither can message the
    other. Undone from the account's list of people blocked."""
    group, membership = _load(request, slug)
    member = selectors.member_get(
        group=group, user=request.user, user_id=user_id, membership=membership
    )
    try:
        block_create(actor=request.user, blocked=member.user)
    except ServiceError as error:
        message_service_error(request, error)
        return redirect("groups:member", slug=group.slug, user_id=user_id)
    messages.success(
        request,
        _("You blocked %(name)s. You can unblock them from your account.")
        % {"name": member.user.public_name},
    )
    return redirect("groups:members", slug=group.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@rate_limited("organizer_contact")
def group_contact(request, slug):
    """ "Contact the organizers": the message is relayed to them through their notices, with
    no address shown either way. Members, and anyone signed in for a public group; 404 for
    anyone else."""
    group, membership = _load(request, slug)
    if not permissions.can_contact_organizers(request.user, group, membership=membership):
        raise NotFound
    form = ContactOrganizersForm(_posted(request))
    if form.is_bound and form.is_valid():
        try:
            services.group_contact_organizers(
                group=group,
                actor=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your message was sent to the organizers."))
            return redirect(group.get_absolute_url())
    return render(
        request,
        "groups/contact.html",
        {"group": group, "form": form},
        status=400 if form.is_bound else 200,
    )
