"""The volunteering pages: browse and search, a project with its shifts, a shift with the
sign-up step, withdrawing, the volunteer's own shifts and a shift's .ics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import when
from core.exceptions import ServiceError
from core.forms import remember_place, remembered_place
from core.markdown import render_markdown
from core.pagecache import cached_for_visitors
from core.paging import browse_depth, nearest_page_of
from core.ratelimit import rate_limited
from core.web import add_service_error, message_service_error
from groups.models import Group
from groups.permissions import can_manage_events, membership_get
from volunteering import ical, selectors, services
from volunteering.forms import ProjectFilterForm, SignupForm, TeamForm
from volunteering.models import ShiftSignup

PAGE_SIZE = 20
SHIFTS_PAGE_SIZE = 50


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
@cached_for_visitors
def project_list(request):
    """Browse and search the volunteer projects listed for the visitor (GET form; bad input is
    shown on the form, never a server error)."""
    form = ProjectFilterForm(
        request.GET, user=request.user, default_where=remembered_place(request)
    )
    context = {"form": form, "page": None, "show_distance": False}
    remember_place(request, form)
    if form.is_valid():
        filters = form.filters()
        projects = selectors.project_list_visible(user=request.user, filters=filters)
        context["page"] = nearest_page_of(
            projects, form.cleaned_data["page"] or 1, PAGE_SIZE, browse_depth(PAGE_SIZE)
        )
        context["show_distance"] = filters["lat"] is not None
    context["place_links"] = form.place_choice_links(request.path)
    return render(request, "volunteering/project_list.html", context)


def _shift_rows(shifts, signups):
    return [
        {
            "shift": shift,
            "when": when.span_html(shift.starts_at, shift.ends_at, shift.timezone),
            "signup": signups.get(shift.pk),
        }
        for shift in shifts
    ]


@require_safe
@cached_for_visitors
def project_detail(request, slug):
    """One project: what it is, who to ask, its roles and open shifts with how full they are
    (SHIFTS_PAGE_SIZE a page, next and previous, no count)."""
    user = request.user
    project = selectors.access_project(user=user, slug=slug)
    page = nearest_page_of(
        selectors.project_open_shifts(project=project), request.GET.get("page"), SHIFTS_PAGE_SIZE
    )
    shifts = selectors.with_project(page.object_list, project=project)
    signups = selectors.signups_by_shift(user=user, shifts=shifts)
    roles = {}
    for shift in shifts:
        roles.setdefault(shift.role_id, shift.role)
    context = {
        "page": page,
        "project": project,
        "description_html": render_markdown(project.description),
        "rows": _shift_rows(shifts, signups),
        "roles": sorted(roles.values(), key=lambda r: r.name),
        "can_manage": can_manage_events(user, project.group),
    }
    return render(request, "volunteering/project_detail.html", context)


def _shift_context(request, shift, *, form=None, team_form=None):
    user = request.user
    project = shift.role.project
    signup = selectors.signup_for_user(user=user, shift=shift)
    signed_up = signup is not None and signup.status == ShiftSignup.Status.SIGNED_UP
    membership = membership_get(user, project.group)
    manager = can_manage_events(user, project.group, membership=membership)
    needs_waiver = not services.waiver_accepted(user=user, project=project)
    if form is None:
        form = SignupForm(project=project, needs_waiver=needs_waiver)
    show_location = signed_up or manager
    return {
        "shift": shift,
        "project": project,
        "signup": signup,
        "active": signup is not None and signup.is_active,
        "waiting_ahead": selectors.waitlist_ahead(signup=signup) if signup else 0,
        "when": when.span_html(shift.starts_at, shift.ends_at, shift.timezone),
        "location": ical.full_location(shift) if show_location else ical.public_location(shift),
        "address_hidden": not show_location and bool(shift.place.address),
        "needs_waiver": needs_waiver,
        "waiver_html": render_markdown(project.waiver_text) if needs_waiver else "",
        "form": form,
        "team_form": team_form
        or TeamForm(initial={"team": "\n".join(signup.team or []) if signup else ""}),
        "is_open": not (shift.is_cancelled or project.is_cancelled or shift.has_started()),
    }


@require_safe
def shift_detail(request, slug, pk):
    """One shift: when (in its own time zone, named), where, places left, and the sign-up step
    with the agreement and the minimum age when the project has them."""
    shift = selectors.access_shift(user=request.user, project_slug=slug, pk=pk)
    return render(request, "volunteering/shift_detail.html", _shift_context(request, shift))


@require_POST
@rate_limited("shift_signup")
def shift_signup(request, slug, pk):
    """Sign up (POST). Anonymous visitors log in first and come back to the shift."""
    shift = selectors.access_shift(user=request.user, project_slug=slug, pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(shift.get_absolute_url())
    project = shift.role.project
    needs_waiver = not services.waiver_accepted(user=request.user, project=project)
    form = SignupForm(request.POST, project=project, needs_waiver=needs_waiver)
    if form.is_valid():
        data = form.cleaned_data
        try:
            signup = services.signup_create(
                shift=shift,
                user=request.user,
                team=data.get("team") or [],
                accept_waiver=bool(data.get("accept_waiver")),
                age_confirmed=bool(data.get("age_confirmed")),
                guardian_name=data.get("guardian_name") or "",
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            if signup.status == ShiftSignup.Status.SIGNED_UP:
                messages.success(request, _("You're signed up. See you there!"))
            else:
                messages.info(
                    request,
                    _("The shift is full: you're on the waitlist and will hear if a place opens."),
                )
            return redirect(shift.get_absolute_url())
    context = _shift_context(request, shift, form=form)
    return render(request, "volunteering/shift_detail.html", context, status=400)


@require_POST
@login_required
def shift_withdraw(request, slug, pk):
    """Withdraw from a shift (POST): the place goes to the waitlist; the coordinator is told."""
    shift = selectors.access_shift(user=request.user, project_slug=slug, pk=pk)
    signup = selectors.signup_for_user(user=request.user, shift=shift)
    if signup is None or not signup.is_active:
        messages.info(request, _("You are not signed up for this shift."))
        return redirect(shift.get_absolute_url())
    try:
        services.signup_withdraw(signup=signup, actor=request.user)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(request, _("You withdrew. Thank you for letting the organizers know."))
    return redirect(shift.get_absolute_url())


@require_POST
@login_required
def shift_team(request, slug, pk):
    """Change one's team (POST) without withdrawing: fewer people free places for the
    waitlist; more take places only when they fit."""
    shift = selectors.access_shift(user=request.user, project_slug=slug, pk=pk)
    signup = selectors.signup_for_user(user=request.user, shift=shift)
    if signup is None or not signup.is_active:
        messages.info(request, _("You are not signed up for this shift."))
        return redirect(shift.get_absolute_url())
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            services.signup_team_change(
                signup=signup, actor=request.user, team=form.cleaned_data["team"]
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your team is changed."))
            return redirect(shift.get_absolute_url())
    context = _shift_context(request, shift, team_form=form)
    return render(request, "volunteering/shift_detail.html", context, status=400)


@require_safe
@login_required
def my_shifts(request):
    """The volunteer's coming shifts (signed up or waiting) and past ones (PAGE_SIZE a page,
    next and previous, no count)."""
    coming = selectors.my_signups(user=request.user)
    past = nearest_page_of(
        selectors.my_signups(user=request.user, past=True), request.GET.get("page"), PAGE_SIZE
    )
    rows = [
        {
            "signup": s,
            "when": when.span_html(s.shift.starts_at, s.shift.ends_at, s.shift.timezone),
        }
        for s in coming[:200]
    ]
    return render(request, "volunteering/my_shifts.html", {"rows": rows, "past": past})


@require_safe
def shift_ics(request, slug, pk):
    """One shift as an .ics file (the address only for volunteers signed up and coordinators)."""
    shift = selectors.access_shift(user=request.user, project_slug=slug, pk=pk)
    group = shift.role.project.group
    signup = selectors.signup_for_user(user=request.user, shift=shift)
    show = (signup is not None and signup.status == ShiftSignup.Status.SIGNED_UP) or (
        can_manage_events(request.user, group)
    )
    content = ical.shift_ics(shift, show_location=show, base_url=base_url(request))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="shift-{shift.pk}.ics"'
    if show or group.visibility != Group.Visibility.PUBLIC:
        response["Cache-Control"] = "private, no-cache"
        response["X-Robots-Tag"] = "noindex"
    return response
