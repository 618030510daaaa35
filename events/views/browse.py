"""Home, browse and search, one event's page and the RSVP buttons, and the member's own list."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateformat import format as date_format
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import when
from core.exceptions import NotFound, ServiceError
from core.forms import remember_place, remembered_place
from core.pagecache import cached_for_visitors, reads_version_first
from core.paging import nearest_page_of
from core.ratelimit import rate_limited
from core.recurrence import describe_rule
from core.repeat import describe_with_end
from core.web import add_service_error, message_service_error
from events import check_in, ical, selectors, services
from events.calendar_links import google_calendar_url
from events.forms import EventFilterForm, RsvpForm
from events.models import Rsvp
from events.permissions import can_manage_event, can_see_event_location
from events.structured_data import event_structured_data
from groups.models import Report
from groups.permissions import is_active_member
from groups.views import file_report


def base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_safe
@cached_for_visitors
@reads_version_first
def home(request):
    """What Connect is for, and events to start with."""
    picks = selectors.home_events(user=request.user)
    user = request.user
    near = remembered_place(request) or (user.city if user.is_authenticated else "")
    return render(request, "home.html", {"picks": picks, "near": near})


@require_safe
@cached_for_visitors
@reads_version_first
def event_list(request):
    """Browse and search the events listed for the visitor (GET form; bad input is shown on the
    form, never a server error)."""
    form = EventFilterForm(request.GET, user=request.user, default_where=remembered_place(request))
    context = {"form": form, "page": None, "group": None, "show_distance": False}
    remember_place(request, form)
    if form.is_valid():
        filters = form.filters()
        context["page"] = selectors.event_list_page(
            user=request.user,
            filters=filters,
            number=form.cleaned_data.get("page") or 1,
            per_page=form.page_size(),
        )
        selectors.attach_series_dates(
            context["page"].object_list, user=request.user, filters=filters
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


def _names(people: list, *, shown: int, total: int | None = None) -> str:
    """ "Rosa", "Rosa and Sam", "Rosa, Sam and 3 others" from people's public names; without
    `total`, one person past `shown` in `people` says there are "others"."""
    names = [person.public_name for person in people[:shown]]
    if total is None:
        if len(people) > shown:
            names.append(_("others"))
    elif total > len(names):
        more = total - len(names)
        names.append(ngettext("%(count)s other", "%(count)s others", more) % {"count": more})
    return get_text_list(names, _("and"))


def _key_facts(event, going: int) -> list[str]:
    """The facts a person decides by, for the line under the title."""
    facts = []
    if event.cost_note:
        facts.append(event.cost_note)
    if event.online_url and not (event.address or event.venue_name):
        facts.append(_("Online"))
    if event.step_free_access:
        facts.append(_("Step-free"))
    if event.quiet_room:
        facts.append(_("Quiet room"))
    if event.sign_language:
        facts.append(_("Sign language"))
    if event.newcomers_welcome:
        facts.append(_("Newcomers welcome"))
    if going and not event.is_cancelled:
        facts.append(ngettext("%(count)s going", "%(count)s going", going) % {"count": going})
    return facts


def _event_page_context(request, page, *, rsvp_form=None) -> dict:
    user = request.user
    event, membership, rsvp = page.event, page.membership, page.rsvp
    state = selectors.event_rsvp_state(user=user, event=event, membership=membership, rsvp=rsvp)
    show_location = can_see_event_location(user, event, membership=membership, rsvp=rsvp)
    base = base_url(request)
    url = base + event.get_absolute_url()
    location_text = ical.full_location(event) if show_location else ical.public_location(event)
    viewer_zone = when.viewer_zone_name(user)
    hosts, going_people = page.hosts, page.going_names
    repeats = ""
    if event.series is not None:
        repeats = describe_with_end(
            event.series.rrule,
            first_start=when.local(event.series.first_starts_at, event.series.timezone),
            timezone=event.series.timezone,
        )
    return {
        "event": event,
        "rsvp": rsvp,
        "rsvp_state": state,
        "membership": membership,
        "can_manage": can_manage_event(user, event, membership=membership),
        "series_running": event.series is not None and event.series.is_running,
        "show_location": show_location,
        "waitlist_count": page.waitlist_count,
        "going_count": event.seats_taken,
        "hosts": _names(hosts, shown=selectors.HOSTS_NAMED) if hosts else "",
        "going_names": (
            _names(going_people, shown=selectors.GOING_NAMED, total=page.going_people)
            if going_people
            else ""
        ),
        "repeats": repeats,
        "key_facts": _key_facts(event, event.seats_taken),
        "when_html": when.span_html(
            event.starts_at, event.ends_at, event.timezone, viewer_zone=viewer_zone
        ),
        "relative_day": when.relative_day(event.starts_at, viewer_zone),
        "rsvp_form": rsvp_form
        or RsvpForm(event=event, initial={"guests": rsvp.guests if rsvp else 0}),
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


def _event_gate(request, slug: str):
    """The 404 at an event's address the viewer may not open: the same page whether the event
    does not exist or belongs to a group they cannot see, naming the group only when it is a
    private group listed in the directory (its existence is public), to ask to join it."""
    group = selectors.event_gate_group(user=request.user, slug=slug)
    return render(
        request,
        "events/event_gate.html",
        {"gate_group": group, "next_path": reverse("events:detail", kwargs={"slug": slug})},
        status=404,
    )


@require_safe
@cached_for_visitors
def event_detail(request, slug):
    """One event: when, where (as much as the viewer may know), who hosts it and how many are
    going, RSVP. An event the viewer may not open gets the gate page (404)."""
    try:
        page = selectors.event_page(user=request.user, slug=slug)
    except NotFound:
        return _event_gate(request, slug)
    return render(request, "events/event_detail.html", _event_page_context(request, page))


def _cancelled_message(event, was_going: bool) -> str:
    if not was_going:
        return _("You left the waitlist.")
    if event.capacity is None:
        return _("Your RSVP is cancelled. Thanks for letting the organizers know.")
    return _("Your RSVP is cancelled. Thank you for freeing the seat.")


@require_POST
@rate_limited("rsvp")
def event_rsvp(request, slug):
    """Going (with guests, joining an open group on the way), not going, or cancelling an RSVP,
    by the form's `action`."""
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
            joined = not is_active_member(request.user, event.group)
            rsvp = services.rsvp_create_joining(
                event=event,
                user=request.user,
                guests=form.cleaned_data["guests"],
                conduct_accepted=form.cleaned_data["conduct_accepted"],
            )
            if joined:
                messages.success(
                    request,
                    _("Welcome to %(group)s!") % {"group": event.group.name},
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
            was_going = rsvp.status == Rsvp.Status.GOING
            services.rsvp_cancel(rsvp=rsvp, actor=request.user)
            messages.success(request, _cancelled_message(event, was_going))
    except ServiceError as error:
        if action == "going" and "conduct_accepted" in error.field_errors():
            # A form error beside the box to tick, on the event page itself.
            add_service_error(form, error)
            page = selectors.event_page(user=request.user, slug=slug)
            return render(
                request,
                "events/event_detail.html",
                _event_page_context(request, page, rsvp_form=form),
            )
        message_service_error(request, error)
    return redirect(event)


@require_safe
@login_required
def event_rsvp_cancel(request, slug):
    """ "I can't go after all": what giving up the place means, and the button that does it."""
    page = selectors.event_page(user=request.user, slug=slug)
    event, rsvp = page.event, page.rsvp
    state = selectors.event_rsvp_state(
        user=request.user, event=event, membership=page.membership, rsvp=rsvp
    )
    if not state.may_withdraw:
        messages.info(request, _("You have no place to give up at this event."))
        return redirect(event)
    day = date_format(
        when.local(event.starts_at, event.timezone),
        # Translators: a short date (Django's date filter), e.g. "Sun 13 Dec".
        _("D j M"),
    )
    return render(
        request,
        "events/rsvp_cancel.html",
        {
            "event": event,
            "rsvp": rsvp,
            "rsvp_state": state,
            "day": day,
            "someone_waiting": page.waitlist_count > (1 if state.waitlisted else 0),
        },
    )


def _my_list_page(request, queryset, *, param: str):
    """One page of one of the user's lists. A bad or out-of-range number shows the nearest page
    rather than an error, as the other list on the page shares the address."""
    per_page = min(settings.PAGE_SIZE, settings.MAX_PAGE_SIZE)
    return nearest_page_of(queryset, request.GET.get(param), per_page)


@require_safe
@login_required
def my_events(request):
    """The user's RSVPs, coming and past (each list paged on its own), the series they go to
    every date of, and their private calendar feed."""
    mine = selectors.my_events(user=request.user)
    upcoming = _my_list_page(request, mine.upcoming, param="upcoming_page")
    with_code = [
        rsvp
        for rsvp in upcoming.object_list
        if rsvp.status == Rsvp.Status.GOING and not rsvp.event.is_cancelled
    ]
    codes = check_in.check_in_qrs(with_code)  # one cache round trip for the page
    for rsvp in with_code:
        rsvp.check_in_code = codes[rsvp.pk]
    feed_path = reverse("calendar_feed", kwargs={"token": request.user.calendar_token})
    feed_url = request.build_absolute_uri(feed_path)
    return render(
        request,
        "events/my_events.html",
        {
            "upcoming": upcoming,
            "past": _my_list_page(request, mine.past, param="past_page"),
            "every_date": [
                (
                    standing,
                    describe_rule(
                        standing.series.rrule,
                        first_start=when.local(
                            standing.series.first_starts_at, standing.series.timezone
                        ),
                    ),
                )
                for standing in selectors.my_standing_rsvps(user=request.user)
            ],
            "feed_url": feed_url,
            "webcal_url": "webcal://" + feed_url.split("://", 1)[-1],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
@rate_limited("report")
def event_report(request, slug):
    """Report an event to its group's organizers; 404 for anyone who may not see it."""
    event = selectors.access_event(user=request.user, slug=slug)
    return file_report(
        request,
        group=event.group,
        about=Report.About.EVENT,
        subject=event,
        label=event.title,
        back=event.get_absolute_url(),
    )
