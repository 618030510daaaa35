"""The events website: home, browse and search, event pages, RSVPs, organizer pages, and the
iCalendar files. Views check input and call selectors, permissions and services."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.exceptions import ServiceError
from events import ical, selectors, services
from events.forms import (
    EventCancelForm,
    EventCreateForm,
    EventFilterForm,
    EventForm,
    EventSeriesForm,
    RsvpForm,
)
from events.models import Event, EventSeries, Rsvp
from events.permissions import (
    can_manage_event,
    can_see_event_location,
    events_with_visible_location,
)
from groups.models import Group
from groups.permissions import can_manage_events, is_active_member, membership_get

GOOGLE_CALENDAR_URL = "https://calendar.google.com/calendar/render"


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _error_text(error: ServiceError) -> str:
    return " ".join(error.messages)


def _add_service_error(form, error: ServiceError) -> None:
    """Show a service's refusal on the form: beside the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    aliases = getattr(form, "SERVICE_FIELD_ALIASES", {})
    for name, errors in error.error_dict.items():
        name = aliases.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def _through_service(form, act):
    """Run a service call for a valid form: the object it returns, or None when it refused (its
    message is then on the form). An actor it does not allow gets a 404."""
    try:
        return act()
    except ServiceError as error:
        _add_service_error(form, error)
        return None
    except PermissionDenied:
        raise Http404 from None


def home(request):
    """What Connect is for, and events to start with."""
    picks = selectors.home_events(user=request.user)
    return render(request, "home.html", {"picks": picks})


def event_list(request):
    """Browse and search the events listed for the visitor (GET form; bad input is shown on the
    form, never a server error)."""
    form = EventFilterForm(request.GET, user=request.user)
    context = {"form": form, "page": None, "group": None, "show_distance": False}
    if form.is_valid():
        filters = form.filters()
        events = selectors.event_list_visible(user=request.user, filters=filters)
        paginator = Paginator(events, form.page_size())
        context["page"] = paginator.get_page(form.cleaned_data.get("page") or 1)
        context["show_distance"] = filters["lat"] is not None
        if filters["group"]:
            context["group"] = selectors.group_listed_get(user=request.user, slug=filters["group"])
    return render(request, "events/event_list.html", context)


def _google_calendar_url(event: Event, *, location: str, url: str) -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{event.starts_at.astimezone(dt.UTC):{fmt}}/"
        f"{event.ends_at.astimezone(dt.UTC):{fmt}}",
        "details": url,
        "ctz": event.timezone,
    }
    if location:
        params["location"] = location
    return f"{GOOGLE_CALENDAR_URL}?{urlencode(params)}"


def _structured_data(event: Event, *, show_location: bool, url: str, group_url: str) -> dict:
    """schema.org Event for search engines: the address and online link only for viewers who
    may see them; others get the venue name and city."""
    status = "EventCancelled" if event.is_cancelled else "EventScheduled"
    in_person = bool(event.venue_name or event.address) or not event.online_url
    if event.online_url and in_person:
        mode = "MixedEventAttendanceMode"
    elif event.online_url:
        mode = "OnlineEventAttendanceMode"
    else:
        mode = "OfflineEventAttendanceMode"
    locations = []
    if in_person:
        place: dict = {"@type": "Place", "name": event.venue_name or event.public_city}
        address = {"@type": "PostalAddress"}
        if event.public_city:
            address["addressLocality"] = event.public_city
        if show_location and event.address:
            address["streetAddress"] = event.address
        if len(address) > 1:
            place["address"] = address
        if show_location and event.latitude is not None and event.longitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": event.latitude,
                "longitude": event.longitude,
            }
        locations.append(place)
    if event.online_url:
        virtual = {"@type": "VirtualLocation"}
        if show_location:
            virtual["url"] = event.online_url
        locations.append(virtual)
    tz = ical.event_zone(event)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description[:1000],
        "url": url,
        "startDate": event.starts_at.astimezone(tz).isoformat(),
        "endDate": event.ends_at.astimezone(tz).isoformat(),
        "eventStatus": f"https://schema.org/{status}",
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {"@type": "Organization", "name": event.group.name, "url": group_url},
    }
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = event.seats_left
    return data


def event_detail(request, slug):
    """One event: when, where (as much as the viewer may know), who runs it, RSVP."""
    user = request.user
    event = selectors.event_get_for_user(user=user, slug=slug)
    membership = membership_get(user, event.group)
    rsvp = selectors.rsvp_for_user(user=user, event=event)
    show_location = can_see_event_location(user, event, membership=membership, rsvp=rsvp)
    base = _base_url(request)
    url = base + event.get_absolute_url()
    location_text = ical.full_location(event) if show_location else ical.public_location(event)
    now = timezone.now()
    context = {
        "event": event,
        "rsvp": rsvp,
        "membership": membership,
        "can_manage": can_manage_event(user, event, membership=membership),
        "series_running": _series_running(event.series, now),
        "show_location": show_location,
        "waitlist_count": selectors.waitlist_count(event=event),
        "rsvp_form": RsvpForm(event=event, initial={"guests": rsvp.guests if rsvp else 0}),
        "is_member": is_active_member(user, event.group, membership=membership),
        "is_past": event.ends_at < now,
        "rsvp_not_open_yet": event.rsvp_opens_at is not None and now < event.rsvp_opens_at,
        "rsvp_closed": event.rsvp_closes_at is not None and now >= event.rsvp_closes_at,
        "public_location": ical.public_location(event),
        "ics_url": reverse("events:ics", kwargs={"slug": event.slug}),
        "google_calendar_url": _google_calendar_url(event, location=location_text, url=url),
        "structured_data": _structured_data(
            event,
            show_location=show_location,
            url=url,
            group_url=base + event.group.get_absolute_url(),
        ),
    }
    return render(request, "events/event_detail.html", context)


@require_POST
def event_rsvp(request, slug):
    """Going (with guests), not going, or cancelling an RSVP, by the form's `action`."""
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(event.get_absolute_url())
    form = RsvpForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose how many guests you bring, within the limit shown."))
        return redirect(event)
    action = form.cleaned_data["action"]
    try:
        if action == "going":
            rsvp = services.rsvp_create(
                event=event, user=request.user, guests=form.cleaned_data["guests"]
            )
            if rsvp.status == Rsvp.Status.GOING:
                messages.success(request, _("You're going. See you there!"))
            else:
                messages.info(
                    request,
                    _("The event is full, so you are on the waitlist. A freed seat is yours "
                      "automatically, and we will tell you."),
                )  # fmt: skip
        elif action == "decline":
            services.rsvp_decline(event=event, user=request.user)
            messages.success(request, _("Thanks for letting the organizers know."))
        else:
            rsvp = selectors.rsvp_for_user(user=request.user, event=event)
            if rsvp is None:
                messages.error(request, _("You have no RSVP to cancel."))
                return redirect(event)
            services.rsvp_cancel(rsvp=rsvp, actor=request.user)
            messages.success(request, _("Your RSVP is cancelled. Thank you for freeing the seat."))
    except ServiceError as error:
        messages.error(request, _error_text(error))
    except PermissionDenied:
        messages.error(request, _("You can't RSVP to this event."))
    return redirect(event)


def _managed_event(request, slug) -> Event:
    """The event, when the user may run it; 404 otherwise (organizer pages are not advertised)."""
    if not request.user.is_authenticated:
        raise Http404
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    if not can_manage_event(request.user, event):
        raise Http404
    return event


def event_edit(request, slug):
    """Organizers and hosts change an event; people going are told by the service."""
    event = _managed_event(request, slug)
    if request.method == "POST":
        form = EventForm(request.POST)
        updated = form.is_valid() and _through_service(
            form,
            lambda: services.event_update(
                event=event,
                actor=request.user,
                tags=form.cleaned_data["tags"],
                **form.event_fields(),
            ),
        )
        if updated:
            messages.success(request, _("The event is updated."))
            return redirect(updated)
    else:
        form = EventForm(initial=EventForm.initial_for(event))
    return render(
        request,
        "events/event_form.html",
        {
            "form": form,
            "event": event,
            "series_running": _series_running(event.series, timezone.now()),
        },
    )


def _series_running(series: EventSeries | None, now: dt.datetime) -> bool:
    return series is not None and (series.ended_at is None or series.ended_at > now)


def _managed_series(request, slug) -> tuple[Event, EventSeries | None]:
    """An occurrence the user may run and its series (None once it stopped repeating); 404 for
    an event that never repeated."""
    event = _managed_event(request, slug)
    if event.series is None:
        raise Http404
    return event, event.series if _series_running(event.series, timezone.now()) else None


def _after_series_change(request, event: Event, series: EventSeries):
    """Where to go after a series edit: this date if it is still there, else the next one, else
    the group."""
    user = request.user
    return (
        selectors.event_get_if_visible(user=user, pk=event.pk)
        or selectors.series_next_occurrence(user=user, series=series)
        or event.group
    )


def event_series_edit(request, slug):
    """Organizers and hosts change a repeating event as a whole: its coming dates that were not
    edited on their own follow (the service decides which)."""
    event, series = _managed_series(request, slug)
    if series is None:
        messages.info(request, _("This event no longer repeats."))
        return redirect(event)
    if request.method == "POST":
        form = EventSeriesForm(request.POST)
        updated = form.is_valid() and _through_service(
            form,
            lambda: services.event_series_update(
                series=series,
                actor=request.user,
                tags=form.cleaned_data["tags"],
                **form.series_fields(series),
            ),
        )
        if updated:
            messages.success(
                request,
                _("The repeating event is updated. Dates edited on their own keep their changes."),
            )
            return redirect(_after_series_change(request, event, updated))
    else:
        form = EventSeriesForm(initial=EventSeriesForm.initial_for(series))
    return render(
        request, "events/event_series_form.html", {"form": form, "event": event, "series": series}
    )


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


def event_copy(request, slug):
    """Organizers and hosts start a new event from this one: the same details, new dates."""
    event = _managed_event(request, slug)
    return _create_page(
        request, event.group, initial=EventCreateForm.details_initial(event), copied_from=event
    )


def event_cancel(request, slug):
    """Organizers and hosts cancel an event, with a message to the people coming."""
    event = _managed_event(request, slug)
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


def event_attendees(request, slug):
    """Who is going and who waits, for the event's organizers and hosts."""
    event = _managed_event(request, slug)
    rsvps = list(selectors.event_attendees(event=event))
    going = [r for r in rsvps if r.status == Rsvp.Status.GOING]
    waitlisted = [r for r in rsvps if r.status == Rsvp.Status.WAITLISTED]
    return render(
        request,
        "events/event_attendees.html",
        {"event": event, "going": going, "waitlisted": waitlisted},
    )


def group_event_create(request, slug):
    """Organizers and hosts add an event to their group, once or repeating."""
    if not request.user.is_authenticated:
        raise Http404
    group = selectors.group_get_for_user(user=request.user, slug=slug)
    if not can_manage_events(request.user, group):
        raise Http404
    return _create_page(
        request,
        group,
        initial={"timezone": request.user.timezone or "UTC", "category": group.category},
    )


def _create_page(request, group: Group, *, initial: dict, copied_from: Event | None = None):
    """The new-event form for a group the user manages, and its submission."""
    if request.method == "POST":
        form = EventCreateForm(request.POST)
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
        return services.event_create(group=group, actor=actor, tags=data["tags"], **fields)
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
        **fields,
    )
    return selectors.series_first_occurrence(user=actor, series=series) or group


def _my_list_page(request, queryset, *, param: str):
    """One page of one of the user's lists. A bad or out-of-range number shows the nearest page
    rather than an error, as the other list on the page shares the address."""
    per_page = min(settings.PAGE_SIZE, settings.MAX_PAGE_SIZE)
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


@login_required
def my_events(request):
    """The user's RSVPs, coming and past (each list paged on its own), and their private
    calendar feed."""
    mine = selectors.my_events(user=request.user)
    feed_path = reverse("calendar_feed", kwargs={"token": request.user.calendar_token})
    feed_url = request.build_absolute_uri(feed_path)
    return render(
        request,
        "events/my_events.html",
        {
            "upcoming": _my_list_page(request, mine.upcoming, param="upcoming_page"),
            "past": _my_list_page(request, mine.past, param="past_page"),
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
        },
    )


def _calendar_response(content: bytes, *, filename: str, private: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    if private:
        response["Cache-Control"] = "private, no-cache"
        response["X-Robots-Tag"] = "noindex"
    return response


def event_ics(request, slug):
    """One event as an .ics file (the address only for viewers who may see it)."""
    event = selectors.event_get_for_user(user=request.user, slug=slug)
    shown = {event.pk} if can_see_event_location(request.user, event) else set()
    content = ical.calendar_bytes(
        [event], name=event.title, show_location_for=shown, base_url=_base_url(request)
    )
    private = event.group.visibility != Group.Visibility.PUBLIC
    return _calendar_response(content, filename=f"{event.slug}.ics", private=private)


def group_events_ics(request, slug):
    """A group's events as a calendar feed; 404 when the visitor may not see its events."""
    group = selectors.group_get_for_user(user=request.user, slug=slug)
    events = list(selectors.group_feed_events(group=group))
    content = ical.calendar_bytes(
        events,
        name=group.name,
        show_location_for=events_with_visible_location(request.user, events),
        base_url=_base_url(request),
    )
    return _calendar_response(
        content, filename=f"{group.slug}.ics", private=group.visibility != Group.Visibility.PUBLIC
    )


def calendar_feed(request, token):
    """A member's private feed of the events they are going to or waiting for. The token in
    the address is the key, so calendar apps can subscribe without logging in."""
    user = selectors.calendar_feed_owner(token=token)
    events = list(selectors.calendar_feed_events(user=user))
    content = ical.calendar_bytes(
        events,
        name=_("My events on Connect"),
        show_location_for=events_with_visible_location(user, events),
        base_url=_base_url(request),
    )
    return _calendar_response(content, filename="connect.ics", private=True)
