"""The events website as a whole: every view says which HTTP methods it takes, creating events
and RSVPing are rate-limited, repeat rules are refused with a form error (never a 500), and the
event page reads the one RSVP state."""

import datetime as dt

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone

from events import selectors, urls
from events.models import Event, EventSeries, Rsvp, RsvpAvailability
from events.services import event_series_create
from groups.models import Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    member = MembershipFactory(group=group).user
    series = event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=1),
        title="Choir",
        category="music",
        venue_name="Hall",
    )
    event = series.occurrences.order_by("starts_at").first()
    return {"group": group, "organizer": organizer, "member": member, "event": event}


def event_urls(event) -> list[str]:
    found = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        kwargs = {"slug": event.slug} if "slug" in pattern.pattern.converters else {}
        if "token" in pattern.pattern.converters:
            kwargs["token"] = "not-a-code"
        found.append(reverse(f"events:{pattern.name}", kwargs=kwargs))
    return found


def site_urls(place, user) -> list[str]:
    return [
        reverse("home"),
        reverse("group_events_ics", kwargs={"slug": place["group"].slug}),
        reverse("group_event_create", kwargs={"slug": place["group"].slug}),
        reverse("calendar_feed", kwargs={"token": user.calendar_token}),
    ]


@pytest.mark.parametrize("method", ["delete", "put", "patch"])
def test_every_events_view_refuses_methods_it_does_not_take(client, place, method):
    client.force_login(place["organizer"])
    for url in event_urls(place["event"]) + site_urls(place, place["organizer"]):
        response = getattr(client, method)(url)
        assert response.status_code == 405, url
        assert "Allow" in response


def test_read_only_pages_refuse_posts_and_rsvp_refuses_gets(client, place):
    client.force_login(place["organizer"])
    event = place["event"]
    for name in ["list", "mine", "ics", "detail", "attendees"]:
        kwargs = {} if name in ("list", "mine") else {"slug": event.slug}
        assert client.post(reverse(f"events:{name}", kwargs=kwargs)).status_code == 405, name
    for url in [reverse("home"), site_urls(place, place["organizer"])[1]]:
        assert client.post(url).status_code == 405
    assert client.get(reverse("events:rsvp", kwargs={"slug": event.slug})).status_code == 405
    assert client.head(reverse("events:detail", kwargs={"slug": event.slug})).status_code == 200


def limit(settings, scope, count):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, scope: (count, 3600)}


def test_rsvps_are_rate_limited(client, settings, place):
    limit(settings, "rsvp", 2)
    client.force_login(place["member"])
    url = reverse("events:rsvp", kwargs={"slug": place["event"].slug})
    for action in ["going", "cancel"]:
        assert client.post(url, {"action": action}).status_code == 302
    response = client.post(url, {"action": "going"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Rsvp.objects.get(user=place["member"]).status == Rsvp.Status.NOT_GOING


def test_event_creation_is_rate_limited(client, settings, place):
    limit(settings, "event_create", 1)
    client.force_login(place["organizer"])
    url = reverse("group_event_create", kwargs={"slug": place["group"].slug})
    assert client.get(url).status_code == 200  # looking at the form is not creating
    first = {
        "title": "Quiz",
        "category": "games",
        "timezone": "UTC",
        "starts_at": "2099-07-01T19:00",
        "ends_at": "2099-07-01T21:00",
        "venue_name": "Pub",
        "guests_allowed": "0",
    }
    assert client.post(url, first).status_code == 302
    response = client.post(url, {**first, "title": "Quiz again"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    copy = reverse("events:copy", kwargs={"slug": place["event"].slug})
    assert client.post(copy, {**first, "title": "Copied"}).status_code == 429
    assert not Event.objects.filter(title__in=["Quiz again", "Copied"]).exists()


@pytest.mark.parametrize("rule", ["FREQ=MONTHLY;BYDAY=99MO", "FREQ=MONTHLY;BYDAY=5MO;BYMONTHDAY=1"])
def test_a_custom_rule_is_not_offered_on_create(client, place, rule):
    client.force_login(place["organizer"])
    url = reverse("group_event_create", kwargs={"slug": place["group"].slug})
    data = {
        "title": "Circle",
        "category": "support",
        "timezone": "Europe/London",
        "starts_at": "2099-07-06T19:00",
        "ends_at": "2099-07-06T20:00",
        "venue_name": "Room 2",
        "guests_allowed": "0",
        "repeats": "custom",
        "rrule": rule,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["repeats"]  # no custom rule for a new event
    assert EventSeries.objects.count() == 1  # the fixture's


def test_a_bad_custom_rule_is_a_form_error_on_series_edit(client, place):
    client.force_login(place["organizer"])
    event = place["event"]
    url = reverse("events:series_edit", kwargs={"slug": event.slug})
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update(repeats="custom", rrule="FREQ=MONTHLY;BYDAY=99MO")
    data["first_date"] = data["first_date"].isoformat()
    data["start_time"] = data["start_time"].strftime("%H:%M")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "number before a weekday" in " ".join(response.context["form"].errors["rrule"])
    assert EventSeries.objects.get().rrule == "FREQ=WEEKLY"


# The RSVP state, worked out once


def state_for(user, event):
    return selectors.event_rsvp_state(user=user, event=event)


def test_rsvp_state_names_where_the_viewer_stands(place):
    event = place["event"]
    Event.objects.filter(pk=event.pk).update(capacity=1)
    event.refresh_from_db()
    member = place["member"]
    assert state_for(member, event).may_answer
    RsvpFactory(event=event, user=MembershipFactory(group=event.group).user)
    Event.objects.filter(pk=event.pk).update(seats_taken=1)
    event.refresh_from_db()
    RsvpFactory(event=event, user=member, status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    state = state_for(member, event)
    assert (state.waitlisted, state.place_in_line, state.is_full) == (True, 1, True)
    assert state.may_withdraw
    assert not state.may_decline


@pytest.mark.parametrize(
    ("changes", "availability", "message"),
    [
        ({"status": Event.Status.CANCELLED}, RsvpAvailability.CANCELLED, "was cancelled"),
        ({"ends_at_days": -1}, RsvpAvailability.ENDED, "already ended"),
        ({"rsvp_closes_at_days": -1}, RsvpAvailability.CLOSED, "are closed"),
        ({"rsvp_opens_at_days": 1}, RsvpAvailability.NOT_OPEN_YET, "RSVPs open on"),
    ],
)
def test_page_and_service_give_the_same_reason(client, place, changes, availability, message):
    now = timezone.now()
    fields = {}
    if "status" in changes:
        fields["status"] = changes["status"]
    if "ends_at_days" in changes:
        fields.update(starts_at=now - dt.timedelta(days=2), ends_at=now - dt.timedelta(days=1))
    if "rsvp_closes_at_days" in changes:
        fields["rsvp_closes_at"] = now - dt.timedelta(days=1)
    if "rsvp_opens_at_days" in changes:
        fields["rsvp_opens_at"] = now + dt.timedelta(days=1)
    event = EventFactory(group=place["group"], **fields)
    state = state_for(place["member"], event)
    assert state.availability == availability
    assert message in state.message
    client.force_login(place["member"])
    page = client.get(reverse("events:detail", kwargs={"slug": event.slug})).content.decode()
    assert state.message in page
    response = client.post(reverse("events:rsvp", kwargs={"slug": event.slug}), {"action": "going"})
    shown = [m.message for m in response.wsgi_request._messages]
    assert shown == [state.message]
