"""Care calendar pages: the person's calendars, opening one, its page with the slots, taking and
giving back slots, coordinators, updates, the invitation link and a helper's .ics feed.

Everything a viewer may not open answers 404 (selectors raise NotFound); the recipient's address
and private notes reach the templates only when `can_see_care_private` says so.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import when
from core.exceptions import NotFound, ServiceError
from core.paging import nearest_page_of
from core.ratelimit import rate_limited
from core.web import add_service_error, message_service_error
from groups.models import Group, active_member_q
from volunteering.care import selectors, services
from volunteering.care.forms import (
    CareCalendarForm,
    CareSearchForm,
    CareSlotForm,
    CareSlotMoveForm,
    CareUpdateForm,
    CoordinatorAddForm,
    WeeklyLimitForm,
)
from volunteering.care.permissions import (
    can_coordinate_care,
    can_post_care_update,
    can_see_care_private,
    private_visible_q,
)
from volunteering.care_models import CareCalendar, CareCoordinator, CareSignup

PAGE_SIZE = 20
SLOTS_PER_PAGE = 30


def _detail(calendar):
    return redirect(calendar.get_absolute_url())


@require_safe
@login_required
def care_list(request):
    """The calendars the person may open (coordinating, helping, or in their groups), with a
    search over what everyone who may open them reads (never the address or notes)."""
    form = CareSearchForm(request.GET)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    calendars = selectors.care_calendars_for(user=request.user, search=search)
    page = Paginator(calendars, PAGE_SIZE).get_page(request.GET.get("page"))
    mine = list(selectors.my_care_slots(user=request.user)[:50])
    feed_path = reverse("volunteering:care:feed", kwargs={"token": request.user.calendar_token})
    return render(
        request,
        "volunteering/care/care_list.html",
        {
            "form": form,
            "page": page,
            "my_slots": mine,
            "feed_url": request.build_absolute_uri(feed_path),
            "can_open": Group.objects.filter(active_member_q(request.user)).exists(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@rate_limited("care_calendar_create")
def care_create(request):
    """Open a care calendar in one of the person's groups."""
    groups = Group.objects.filter(active_member_q(request.user)).order_by("name")
    initial = {"timezone": request.user.timezone or "UTC"}
    wanted = request.GET.get("group")
    if wanted:
        initial["group"] = groups.filter(slug=wanted).first()
    form = CareCalendarForm(request.POST or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            calendar = services.care_calendar_create(
                actor=request.user,
                group=form.cleaned_data["group"],
                recipient_email=form.cleaned_data["recipient_email"],
                **form.service_fields(),
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The care calendar is open. Now add the slots."))
            return redirect("volunteering:care:slot_new", code=calendar.code)
    return render(request, "volunteering/care/calendar_form.html", {"form": form, "new": True})


@require_safe
def care_detail(request, code):
    """A calendar: what is going on, the help needed, the coming slots and who took them,
    updates; the address and private notes only for coordinators and confirmed helpers."""
    calendar, facts, coordinators = selectors.access_care_calendar_page(
        user=request.user, code=code
    )
    slots_page = nearest_page_of(
        selectors.care_calendar_slots(calendar=calendar), request.GET.get("page"), SLOTS_PER_PAGE
    )
    slots = list(slots_page.object_list)
    for slot in slots:
        slot.calendar = calendar
        slot.mine = next((s for s in slot.confirmed_signups if s.user_id == request.user.pk), None)
    coordinating = can_coordinate_care(request.user, calendar, facts=facts)
    return render(
        request,
        "volunteering/care/calendar_detail.html",
        {
            "calendar": calendar,
            "slots": slots,
            "slots_page": slots_page,
            "updates": list(selectors.care_calendar_updates(calendar=calendar)),
            "show_private": can_see_care_private(request.user, calendar, facts=facts),
            "is_coordinator": coordinating,
            "can_post": can_post_care_update(request.user, calendar, facts=facts),
            "coordinators": coordinators,
            "helper": facts.helper if facts is not None else None,
            "update_form": CareUpdateForm(),
            "invitation_url": request.build_absolute_uri(
                reverse("volunteering:care:invitation", kwargs={"token": calendar.invitation_token})
            )
            if coordinating
            else "",
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def care_edit(request, code):
    calendar, _facts = selectors.access_coordinated_care_calendar(user=request.user, code=code)
    form = CareCalendarForm(request.POST or None, instance=calendar)
    if request.method == "POST" and form.is_valid():
        try:
            services.care_calendar_update(
                calendar=calendar, actor=request.user, **form.service_fields()
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return _detail(calendar)
    return render(
        request,
        "volunteering/care/calendar_form.html",
        {"form": form, "calendar": calendar, "new": False},
    )


@require_POST
@login_required
def care_close(request, code):
    calendar, _facts = selectors.access_coordinated_care_calendar(user=request.user, code=code)
    services.care_calendar_close(calendar=calendar, actor=request.user)
    messages.success(request, _("The care calendar is closed."))
    return _detail(calendar)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def care_slot_new(request, code):
    """Add a slot, or a slot that repeats every week."""
    calendar, _facts = selectors.access_coordinated_care_calendar(user=request.user, code=code)
    form = CareSlotForm(request.POST or None, calendar=calendar)
    if request.method == "POST" and form.is_valid():
        try:
            if form.repeats:
                services.care_slot_series_create(
                    calendar=calendar, actor=request.user, **form.series_fields()
                )
            else:
                services.care_slot_create(
                    calendar=calendar, actor=request.user, **form.slot_fields()
                )
        except ServiceError as error:
            if "first_starts_at" in error.field_errors():
                error = ServiceError({"starts_at": error.field_errors()["first_starts_at"]})
            add_service_error(form, error)
        else:
            messages.success(request, _("Slot added."))
            return _detail(calendar)
    return render(request, "volunteering/care/slot_form.html", {"form": form, "calendar": calendar})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def care_slot_move(request, code, slot_id):
    """Move one slot (a repeating one's date only): its helpers keep it, their reminders move."""
    calendar, _facts = selectors.access_coordinated_care_calendar(user=request.user, code=code)
    slot = selectors.access_care_slot(calendar=calendar, slot_id=slot_id)
    form = CareSlotMoveForm(
        request.POST or None, calendar=calendar, initial=CareSlotMoveForm.initial_for(slot)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.care_slot_update(slot=slot, actor=request.user, **form.slot_fields())
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Slot moved."))
            return _detail(calendar)
    return render(
        request,
        "volunteering/care/slot_move.html",
        {"form": form, "calendar": calendar, "slot": slot},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def care_series_stop(request, code, series_id):
    """Stop a repeating slot (a confirmation page first): coming slots nobody took go, taken
    ones stay."""
    calendar, _facts = selectors.access_coordinated_care_calendar(user=request.user, code=code)
    series = selectors.access_care_series(calendar=calendar, series_id=series_id)
    if request.method == "POST":
        services.care_slot_series_end(series=series, actor=request.user)
        messages.success(request, _("The slot no longer repeats."))
        return _detail(calendar)
    return render(
        request, "volunteering/care/series_stop.html", {"calendar": calendar, "series": series}
    )


@require_POST
@login_required
def care_slot_cancel(request, code, slot_id):
    calendar, _facts = selectors.access_coordinated_care_calendar(user=request.user, code=code)
    slot = selectors.access_care_slot(calendar=calendar, slot_id=slot_id)
    services.care_slot_cancel(slot=slot, actor=request.user)
    messages.success(request, _("Slot cancelled."))
    return _detail(calendar)


@require_POST
@login_required
@rate_limited("care_slot_take")
def care_slot_take(request, code, slot_id):
    """Take a place on a slot (POST; the page works without JavaScript)."""
    calendar, _facts = selectors.access_care_calendar(user=request.user, code=code)
    slot = selectors.access_care_slot(calendar=calendar, slot_id=slot_id)
    try:
        services.care_slot_take(slot=slot, user=request.user)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(request, _("Thank you: the slot is yours."))
    return _detail(calendar)


@require_POST
@login_required
def care_slot_release(request, code, slot_id):
    """Give a slot back (the helper, or a coordinator for someone: `user` names them)."""
    calendar, facts = selectors.access_care_calendar(user=request.user, code=code)
    slot = selectors.access_care_slot(calendar=calendar, slot_id=slot_id)
    helper_id = request.POST.get("user") or request.user.pk
    if str(helper_id) != str(request.user.pk) and not can_coordinate_care(
        request.user, calendar, facts=facts
    ):
        raise NotFound
    signup = CareSignup.objects.filter(
        slot=slot, user_id=helper_id if str(helper_id).isdigit() else None
    ).first()
    if signup is None:
        raise NotFound
    try:
        services.care_slot_release(signup=signup, actor=request.user)
    except ServiceError as error:
        message_service_error(request, error)
    else:
        messages.success(request, _("The slot is open again for someone else."))
    return _detail(calendar)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def care_limit(request, code):
    """The helper's own cap on slots a week for this calendar."""
    calendar, facts = selectors.access_care_calendar(user=request.user, code=code)
    helper = facts.helper
    form = WeeklyLimitForm(request.POST or None, instance=helper)
    if request.method == "POST" and form.is_valid():
        try:
            services.care_helper_limit_set(
                calendar=calendar,
                user=request.user,
                weekly_limit=form.cleaned_data["weekly_limit"],
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return _detail(calendar)
    return render(
        request, "volunteering/care/limit_form.html", {"form": form, "calendar": calendar}
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def care_coordinators(request, code):
    """Add or remove coordinators."""
    calendar, _facts = selectors.access_coordinated_care_calendar(user=request.user, code=code)
    form = CoordinatorAddForm(request.POST or None)
    if request.method == "POST" and "remove" in request.POST:
        coordinator = CareCoordinator.objects.filter(
            calendar=calendar, pk=request.POST.get("remove", "") or None
        ).first()
        if coordinator is None:
            raise NotFound
        try:
            services.care_coordinator_remove(coordinator=coordinator, actor=request.user)
        except ServiceError as error:
            message_service_error(request, error)
        return redirect("volunteering:care:coordinators", code=calendar.code)
    if request.method == "POST" and form.is_valid():
        try:
            services.care_coordinator_add(
                calendar=calendar, email=form.cleaned_data["email"], actor=request.user
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Coordinator added."))
            return redirect("volunteering:care:coordinators", code=calendar.code)
    return render(
        request,
        "volunteering/care/coordinators.html",
        {
            "calendar": calendar,
            "form": form,
            "coordinators": list(selectors.care_coordinators(calendar=calendar)),
        },
    )


@require_POST
@login_required
def care_invitation_reset(request, code):
    calendar, _facts = selectors.access_coordinated_care_calendar(user=request.user, code=code)
    services.care_invitation_reset(calendar=calendar, actor=request.user)
    messages.success(request, _("There is a new invitation link; the old one no longer works."))
    return _detail(calendar)


@require_POST
@login_required
def care_update_post(request, code):
    calendar, facts = selectors.access_care_calendar(user=request.user, code=code)
    if not can_post_care_update(request.user, calendar, facts=facts):
        raise NotFound
    form = CareUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.care_update_post(
                calendar=calendar,
                actor=request.user,
                body=form.cleaned_data["body"],
                is_thanks=form.cleaned_data["is_thanks"],
            )
        except ServiceError as error:
            message_service_error(request, error)
        else:
            messages.success(request, _("Your update is on its way to the helpers."))
    else:
        messages.error(request, _("Write the update."))
    return _detail(calendar)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def care_invitation(request, token):
    """The invitation link: the calendar's title and who it is for, and a button to join."""
    calendar = selectors.access_care_invitation(token=token)
    if request.method == "POST":
        services.care_invitation_accept(calendar=calendar, user=request.user, token=token)
        messages.success(request, _("Welcome. Take a slot when you can."))
        return _detail(calendar)
    return render(request, "volunteering/care/invitation.html", {"calendar": calendar})


@require_safe
def care_feed(request, token):
    """A helper's confirmed coming slots as a calendar feed; the token is the key (the same
    private token as the events feed). The address only where `can_see_care_private` allows."""
    user = selectors.care_feed_owner(token=token)
    signups = list(selectors.my_care_slots(user=user))
    private = set(
        CareCalendar.objects.filter(pk__in={s.slot.calendar_id for s in signups})
        .filter(private_visible_q(user))
        .values_list("pk", flat=True)
    )
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Connect//Care calendars//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", _("My care slots on Connect"))
    host = urlsplit(settings.SITE_URL).hostname or "connect.invalid"
    base = request.build_absolute_uri("/").rstrip("/")
    for signup in signups:
        slot, calendar = signup.slot, signup.slot.calendar
        zone = when.zone(calendar.timezone)
        event = icalendar.Event()
        event.add("uid", f"care-slot-{slot.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", slot.starts_at.astimezone(zone))
        event.add("dtend", slot.ends_at.astimezone(zone))
        event.add("summary", f"{slot.label}: {calendar.recipient_name}")
        event.add("url", base + calendar.get_absolute_url())
        notes = [calendar.title, calendar.dietary_notes, calendar.access_notes]
        if calendar.pk in private:
            if calendar.address:
                event.add("location", calendar.address)
            notes.append(calendar.private_notes)
        notes.append(base + calendar.get_absolute_url())
        event.add("description", "\n\n".join(part for part in notes if part))
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="care.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response
