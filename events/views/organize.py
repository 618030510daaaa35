"""The pages organizers and hosts run their events from: create (once or repeating), copy,
edit a date or the whole series, stop a series, cancel, and who is coming. Each answers 404 to
anyone who may not run the event (selectors.access_managed_event)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.exceptions import NotFound, ServiceError
from core.ratelimit import rate_limited
from core.web import add_service_error, message_service_error
from events import selectors, services
from events.check_in import rsvp_pk_from_token
from events.forms import EventCancelForm, EventCreateForm, EventForm, EventSeriesForm
from events.models import Event, EventSeries, Rsvp
from events.services.attendance import check_in_open
from groups.models import Group
from groups.permissions import can_manage_events

require_form_methods = require_http_methods(["GET", "HEAD", "POST"])


def _through_service(form, act):
    """Run a service call for a valid form: the object it returns, or None when it refused (its
    message is then on the form)."""
    try:
        return act()
    except ServiceError as error:
        add_service_error(form, error)
        return None


@require_form_methods
def event_edit(request, slug):
    """Organizers and hosts change an event; people going are told by the service."""
    event = selectors.access_managed_event(user=request.user, slug=slug)
    if request.method == "POST":
        form = EventForm(
            request.POST,
            request.FILES,
            has_picture=bool(event.picture),
            group=event.group,
            current=event,
        )
        updated = form.is_valid() and _through_service(
            form,
            lambda: services.event_update(
                event=event,
                actor=request.user,
                tags=form.cleaned_data["tags"],
                **form.event_fields(),
                **form.picture_fields(),
            ),
        )
        if updated:
            messages.success(request, _("The event is updated."))
            return redirect(updated)
    else:
        form = EventForm(initial=EventForm.initial_for(event), has_picture=bool(event.picture))
    return render(
        request,
        "events/event_form.html",
        {
            "form": form,
            "event": event,
            "series_running": event.series is not None and event.series.is_running,
        },
    )


def _managed_series(request, slug) -> tuple[Event, EventSeries | None]:
    """An occurrence the user may run and its series (None once it stopped repeating); 404 for
    an event that never repeated."""
    event = selectors.access_managed_event(user=request.user, slug=slug)
    if event.series is None:
        raise NotFound
    return event, event.series if event.series.is_running else None


def _after_series_change(request, event: Event, series: EventSeries):
    """Where to go after a series edit: this date if it is still there, else the next one, else
    the group."""
    user = request.user
    return (
        selectors.event_get_if_visible(user=user, pk=event.pk)
        or selectors.series_next_occurrence(user=user, series=series)
        or event.group
    )


@require_form_methods
def event_series_edit(request, slug):
    """Organizers and hosts change a repeating event as a whole: its coming dates that were not
    edited on their own follow (the service decides which)."""
    event, series = _managed_series(request, slug)
    if series is None:
        messages.info(request, _("This event no longer repeats."))
        return redirect(event)
    if request.method == "POST":
        form = EventSeriesForm(
            request.POST,
            request.FILES,
            group=event.group,
            current=series,
            has_picture=bool(series.picture),
        )
        updated = form.is_valid() and _through_service(
            form,
            lambda: services.event_series_update(
                series=series,
                actor=request.user,
                tags=form.cleaned_data["tags"],
                skip_dates=form.skip_dates(),
                **form.series_fields(series),
                **form.picture_fields(),
            ),
        )
        if updated:
            messages.success(
                request,
                _("The repeating event is updated. Dates edited on their own keep their changes."),
            )
            return redirect(_after_series_change(request, event, updated))
    else:
        form = EventSeriesForm(
            initial=EventSeriesForm.initial_for(series), has_picture=bool(series.picture)
        )
    return render(
        request, "events/event_series_form.html", {"form": form, "event": event, "series": series}
    )


@require_form_methods
def event_series_stop(request, slug):
    """Organizers and hosts stop a repeating event: coming dates go, and people going to one
    are told with the organizer's message."""
    event, series = _managed_series(request, slug)
    if series is None:
        messages.info(request, _("This event no longer repeats."))
        return redirect(event)
    form = EventCancelForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _through_service(
            form,
            lambda: services.event_series_end(
                series=series, actor=request.user, message=form.cleaned_data["message"]
            ),
        )
    ):
        messages.success(
            request,
            _("The event no longer repeats. People going to a removed date are told."),
        )
        return redirect(
            selectors.event_get_if_visible(user=request.user, pk=event.pk) or event.group
        )
    coming = selectors.series_coming_unedited(user=request.user, series=series)
    return render(
        request,
        "events/event_series_stop.html",
        {"form": form, "event": event, "series": series, "coming": coming},
    )


@require_form_methods
@rate_limited("event_create")
def event_copy(request, slug):
    """Organizers and hosts start a new event from this one: the same details, new dates."""
    event = selectors.access_managed_event(user=request.user, slug=slug)
    return _create_page(
        request, event.group, initial=EventCreateForm.details_initial(event), copied_from=event
    )


@require_form_methods
def event_cancel(request, slug):
    """Organizers and hosts cancel an event, with a message to the people coming."""
    event = selectors.access_managed_event(user=request.user, slug=slug)
    form = EventCancelForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and _through_service(
            form,
            lambda: services.event_cancel(
                event=event, actor=request.user, message=form.cleaned_data["message"]
            ),
        )
    ):
        messages.success(request, _("The event is cancelled and attendees are told."))
        return redirect(event)
    return render(request, "events/event_cancel.html", {"form": form, "event": event})


@require_safe
def event_attendees(request, slug):
    """Who is going and who waits, for the event's organizers and hosts."""
    event = selectors.access_event(user=request.user, slug=slug)
    rsvps = list(selectors.event_attendees(user=request.user, event=event))
    going = [r for r in rsvps if r.status == Rsvp.Status.GOING]
    waitlisted = [r for r in rsvps if r.status == Rsvp.Status.WAITLISTED]
    return render(
        request,
        "events/event_attendees.html",
        {"event": event, "going": going, "waitlisted": waitlisted},
    )


@require_form_methods
def check_in_link(request, token):
    """Where an attendee's check-in code leads: for the group's organizers and hosts, who
    they are and a button that marks them arrived (a POST); 404 for anyone else, and for a
    code not made here. A logged-out organizer logs in first and comes back."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    rsvp = selectors.access_check_in_rsvp(user=request.user, rsvp_pk=rsvp_pk_from_token(token))
    if request.method == "POST":
        try:
            rsvp = services.rsvp_check_in(rsvp=rsvp, actor=request.user)
        except ServiceError as error:
            message_service_error(request, error)
        else:
            messages.success(
                request, _("%(name)s is checked in.") % {"name": rsvp.user.public_name}
            )
        return redirect("events:check_in_link", token=token)
    return render(
        request,
        "events/check_in_link.html",
        {
            "rsvp": rsvp,
            "event": rsvp.event,
            "going": rsvp.status == Rsvp.Status.GOING,
            "check_in_open": check_in_open(rsvp.event),
        },
    )


@require_form_methods
@rate_limited("event_create")
def group_event_create(request, slug):
    """Organizers and hosts add an event to their group, once or repeating."""
    if not request.user.is_authenticated:
        raise NotFound
    group = selectors.access_group_events(user=request.user, slug=slug)
    if not can_manage_events(request.user, group):
        raise NotFound
    return _create_page(
        request,
        group,
        initial={
            "timezone": selectors.group_timezone(group=group),
            "category": group.category,
        },
    )


def _create_page(request, group: Group, *, initial: dict, copied_from: Event | None = None):
    """The new-event form for a group the user manages, and its submission."""
    if request.method == "POST":
        form = EventCreateForm(request.POST, request.FILES, group=group)
        target = form.is_valid() and _through_service(
            form, lambda: _create_from_form(form, group=group, actor=request.user)
        )
        if target:
            messages.success(request, _("The event is published."))
            return redirect(target)
    else:
        form = EventCreateForm(initial=initial)
    return render(
        request,
        "events/event_form.html",
        {"form": form, "group": group, "copied_from": copied_from},
    )


def _create_from_form(form: EventCreateForm, *, group: Group, actor):
    """Create one event or a series; what to show next (the event, or the first occurrence)."""
    data = form.cleaned_data
    fields = form.event_fields()
    if not data.get("repeats"):
        return services.event_create(
            group=group, actor=actor, tags=data["tags"], **fields, **form.picture_fields()
        )
    starts, ends = fields.pop("starts_at"), fields.pop("ends_at")
    fields.pop("rsvp_opens_at")
    fields.pop("rsvp_closes_at")
    series = services.event_series_create(
        group=group,
        actor=actor,
        rrule=data["rrule"],
        first_starts_at=starts,
        duration=ends - starts,
        tags=data["tags"],
        skip_dates=form.skip_dates(),
        **fields,
        **form.picture_fields(),
    )
    return selectors.series_first_occurrence(user=actor, series=series) or group
