import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from events import ical
from events.models import Event, Rsvp
from groups.models import Group, Membership
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")
BASE = "https://connect.example"
SECRET_ADDRESS = "7 Hidden Lane, Leeds"
SECRET_LINK = "https://meet.example/secret-room"


def unfolded(content: bytes) -> str:
    """The file as text with folded lines joined and escapes removed, for searching in."""
    text = content.decode().replace("\r\n ", "").replace("\r\n\t", "")
    return text.replace("\\,", ",").replace("\\;", ";").replace("\\n", "\n")


def parse(content: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(content)


def only_event(calendar: icalendar.Calendar) -> icalendar.Event:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


@pytest.fixture
def event():
    return EventFactory(
        title="Choir night",
        description="Sing with us.",
        timezone="Europe/London",
        starts_at=dt.datetime(2099, 12, 3, 18, 30, tzinfo=LONDON),
        ends_at=dt.datetime(2099, 12, 3, 20, 0, tzinfo=LONDON),
        venue_name="Community hall",
        address=SECRET_ADDRESS,
        latitude=53.8,
        longitude=-1.55,
        online_url=SECRET_LINK,
        group=GroupFactory(city="Leeds", name="Leeds Singers"),
    )


def build(events, *, shown=()):
    return parse(
        ical.calendar_bytes(events, name="Test", show_location_for=set(shown), base_url=BASE)
    )


def test_event_has_uid_stamp_and_local_times_with_their_zone(event, settings):
    settings.SITE_URL = "https://connect.example"
    calendar = build([event])
    vevent = only_event(calendar)
    assert str(vevent["uid"]) == f"event-{event.pk}@connect.example"
    assert vevent.decoded("dtstamp").tzinfo is not None
    start = vevent["dtstart"]
    assert start.params["TZID"] == "Europe/London"
    assert vevent.decoded("dtstart") == event.starts_at
    assert vevent.decoded("dtend") == event.ends_at
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(vevent["summary"]) == "Choir night"
    assert str(vevent["url"]) == f"{BASE}/events/{event.slug}/"
    assert "Sing with us." in str(vevent["description"])
    assert str(vevent["status"]) == "CONFIRMED"
    assert calendar["version"] == "2.0"


def test_utc_events_are_written_in_utc_without_a_timezone_block():
    event = EventFactory(timezone="UTC", starts_at=dt.datetime(2099, 1, 1, 9, tzinfo=dt.UTC))
    calendar = build([event])
    vevent = only_event(calendar)
    assert "TZID" not in vevent["dtstart"].params
    assert vevent["dtstart"].to_ical() == b"20990101T090000Z"
    assert calendar.walk("VTIMEZONE") == []


def test_location_without_permission_is_venue_and_city_only(event):
    content = ical.calendar_bytes([event], name="Test", show_location_for=set(), base_url=BASE)
    vevent = only_event(parse(content))
    assert str(vevent["location"]) == "Community hall, Leeds"
    assert "geo" not in vevent
    assert "Hidden Lane" not in unfolded(content)
    assert "secret-room" not in unfolded(content)


def test_location_without_permission_names_the_events_own_city(event):
    event.city = "Bradford"
    vevent = only_event(build([event]))
    assert str(vevent["location"]) == "Community hall, Bradford"


def test_location_with_permission_has_address_coordinates_and_link(event):
    vevent = only_event(build([event], shown={event.pk}))
    assert str(vevent["location"]) == f"Community hall, {SECRET_ADDRESS}"
    assert vevent.decoded("geo") == (53.8, -1.55)
    assert SECRET_LINK in str(vevent["description"])


def test_online_only_event_location_is_the_link_for_people_going():
    event = EventFactory(venue_name="", address="", online_url=SECRET_LINK)
    assert str(only_event(build([event], shown={event.pk}))["location"]) == SECRET_LINK
    assert str(only_event(build([event]))["location"]) == "Leeds"


def test_cancelled_event_says_so_with_the_message(event):
    event.status = Event.Status.CANCELLED
    event.cancellation_message = "The hall flooded."
    vevent = only_event(build([event]))
    assert str(vevent["status"]) == "CANCELLED"
    description = str(vevent["description"])
    assert "cancelled" in description
    assert "The hall flooded." in description


def test_one_timezone_block_per_zone_for_many_events():
    events = [EventFactory(timezone="Europe/London") for _ in range(3)] + [
        EventFactory(timezone="America/New_York")
    ]
    calendar = build(events)
    assert len(calendar.walk("VEVENT")) == 4
    assert sorted(str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")) == [
        "America/New_York",
        "Europe/London",
    ]


# --- The .ics addresses -------------------------------------------------------------------


def get_calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_event_ics_for_anonymous_visitor_has_no_address(client, event):
    content = get_calendar(client, reverse("events:ics", kwargs={"slug": event.slug}))
    vevent = only_event(parse(content))
    assert str(vevent["location"]) == "Community hall, Leeds"
    assert "Hidden Lane" not in unfolded(content)
    assert "secret-room" not in unfolded(content)


def test_event_ics_for_someone_going_has_the_address(client, event):
    user = MembershipFactory(group=event.group).user
    RsvpFactory(event=event, user=user)
    client.force_login(user)
    content = get_calendar(client, reverse("events:ics", kwargs={"slug": event.slug}))
    assert SECRET_ADDRESS in str(only_event(parse(content))["location"])


@pytest.mark.parametrize("listed", [False, True])
@pytest.mark.parametrize("who", ["anonymous", "outsider", "pending"])
def test_private_group_event_ics_is_404_for_outsiders(client, who, listed):
    """Listing a private group in the directory shows its name, never its events."""
    event = EventFactory(
        group=GroupFactory(visibility=Group.Visibility.PRIVATE, listed_when_private=listed)
    )
    if who == "outsider":
        client.force_login(UserFactory())
    elif who == "pending":
        client.force_login(
            MembershipFactory(group=event.group, status=Membership.Status.PENDING).user
        )
    assert client.get(reverse("events:ics", kwargs={"slug": event.slug})).status_code == 404
    url = reverse("group_events_ics", kwargs={"slug": event.group.slug})
    assert client.get(url).status_code == 404


def test_group_feed_lists_the_groups_events_and_locations_only_where_allowed(client, event):
    other = EventFactory(group=event.group, title="Second", address="9 Other Road")
    EventFactory(title="Not this group")
    cancelled = EventFactory(group=event.group, status=Event.Status.CANCELLED)
    url = reverse("group_events_ics", kwargs={"slug": event.group.slug})
    content = get_calendar(client, url)
    calendar = parse(content)
    assert str(calendar["x-wr-calname"]) == "Leeds Singers"
    uids = {str(e["uid"]) for e in calendar.walk("VEVENT")}
    assert uids == {ical.event_uid(e) for e in (event, other, cancelled)}
    assert "Hidden Lane" not in unfolded(content)
    assert "Other Road" not in unfolded(content)

    user = MembershipFactory(group=event.group).user
    RsvpFactory(event=other, user=user)
    client.force_login(user)
    content = get_calendar(client, url)
    assert "Other Road" in unfolded(content)
    assert "Hidden Lane" not in unfolded(content)


def test_private_group_feed_for_members(client):
    event = EventFactory(group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    client.force_login(MembershipFactory(group=event.group).user)
    url = reverse("group_events_ics", kwargs={"slug": event.group.slug})
    calendar = parse(get_calendar(client, url))
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [ical.event_uid(event)]


def test_private_feed_has_the_users_events_with_locations(client, event):
    user = MembershipFactory(group=event.group).user
    RsvpFactory(event=event, user=user)
    waiting = EventFactory(group=event.group, address="3 Queue Street")
    RsvpFactory(event=waiting, user=user, status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    declined = EventFactory(group=event.group)
    RsvpFactory(event=declined, user=user, status=Rsvp.Status.NOT_GOING)
    EventFactory(group=event.group)
    RsvpFactory(event=EventFactory())  # someone else's

    # No login: the token in the address is the key.
    url = reverse("calendar_feed", kwargs={"token": user.calendar_token})
    content = get_calendar(client, url)
    calendar = parse(content)
    assert {str(e["uid"]) for e in calendar.walk("VEVENT")} == {
        ical.event_uid(event),
        ical.event_uid(waiting),
    }
    assert SECRET_ADDRESS in unfolded(content)
    # Waiting is not going: the waitlisted event's address stays hidden.
    assert "Queue Street" not in unfolded(content)


def test_private_feed_with_unknown_token_is_404(client):
    UserFactory()
    assert client.get("/calendar/not-a-real-token.ics").status_code == 404


def test_private_feed_of_a_deactivated_account_is_404(client):
    user = UserFactory(is_active=False)
    url = reverse("calendar_feed", kwargs={"token": user.calendar_token})
    assert client.get(url).status_code == 404


def test_private_feed_is_not_cached_by_shared_caches(client):
    user = UserFactory()
    response = client.get(reverse("calendar_feed", kwargs={"token": user.calendar_token}))
    assert "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"
