"""Home, browse and search, one event's page and the RSVP buttons, and the member's own list."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.exceptions import ServiceError
from core.forms import remember_place, remembered_place
from core.pagecache import cached_for_visitors
from core.paging import nearest_page_of
from core.ratelimit import rate_limited
from core.web import message_service_error
from events import ical, selectors, services
from events.calendar_links import google_calendar_url
from events.forms import EventFilterForm, RsvpForm
from events.models import Rsvp
from events.permissions import can_manage_event, can_see_event_location
from events.structured_data import event_structured_data


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
@cached_for_visitors
def home(request):
    """What Connect is for, and events to start with."""
    picks = selectors.home_events(user=request.user)
    user = request.user
    near = remembered_place(request) or (user.city if user.is_authenticated else "")
    return render(request, "home.html", {"picks": picks, "near": near})


@require_safe
@cached_for_visitors
def event_list(request):
    """Browse and search the events listed for the visitor (GET form; bad input is shown on the
    form, never a server error)."""
    form = EventFilterForm(request.GET, user=request.user, default_where=remembered_place(request))
    context = {"form": form, "page": None, "group": None, "show_distance": False}
    remember_place(request, form)
    if form.is_valid():
        filters = form.filters()
        events = selectors.event_list_visible(user=request.user, filters=filters)
        context["page"] = nearest_page_of(
            events, form.cleaned_data.get("page") or 1, form.page_size()
        )
        context["show_distance"] = filters["lat"] is not None
        if not context["page"].object_list:
            context["private_groups"] = selectors.private_groups_for_search(
                user=request.user, filters=filters
            )
            context["support_search"] = filters["category"] in ("support", "recovery")
        if filters["group"]:
            context["group"] = selectors.group_listed_get(user=request.user, slug=filters["group"])
    context["place_links"] = form.place_choice_links(request.path)
    context["place"] = form.place
    return render(request, "events/event_list.html", context)


@require_safe
@cached_for_visitors
def event_detail(request, slug):
    """One event: when, where (as much as the viewer may know), who runs it, RSVP."""
    user = request.user
    page = selectors.event_page(user=user, slug=slug)
    event, membership = page.event, page.membership
    rsvp = selectors.rsvp_for_user(user=user, event=event)
    state = selectors.event_rsvp_state(user=user, event=event, membership=membership, rsvp=rsvp)
    show_location = can_see_event_location(user, event, membership=membership, rsvp=rsvp)
    base = base_url(request)
    url = base + event.get_absolute_url()
    location_text = ical.full_location(event) if show_location else ical.public_location(event)
    context = {
        "event": event,
        "rsvp": rsvp,
        "rsvp_state": state,
        "membership": membership,
        "can_manage": can_manage_event(user, event, membership=membership),
        "series_running": event.series is not None and event.series.is_running,
        "show_location": show_location,
        "waitlist_count": page.waitlist_count,
        "rsvp_form": RsvpForm(event=event, initial={"guests": rsvp.guests if rsvp else 0}),
        "is_past": event.has_ended(),
        "public_location": ical.public_location(event),
        "ics_url": reverse("events:ics", kwargs={"slug": event.slug}),
        "google_calendar_url": google_calendar_url(event, location=location_text, url=url),
        "structured_data": event_structured_data(
            event,
            show_location=show_location,
            url=url,
            group_url=base + event.group.get_absolute_url(),
        ),
    }
    return render(request, "events/event_detail.html", context)


@require_POST
@rate_limited("rsvp")
def event_rsvp(request, slug):
    """Going (with guests), not going, or cancelling an RSVP, by the form's `action`."""
    event = selectors.access_event(user=request.user, slug=slug)
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
        message_service_error(request, error)
    return redirect(event)


def _my_list_page(request, queryset, *, param: str):
    """One page of one of the user's lists. A bad or out-of-range number shows the nearest page
    rather than an error, as the other list on the page shares the address."""
    per_page = min(settings.PAGE_SIZE, settings.MAX_PAGE_SIZE)
    return nearest_page_of(queryset, request.GET.get(param), per_page)


@require_safe
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
