import datetime as dt
import json
import re
import zoneinfo

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.models import Category
from events.models import Event, EventSeries, Rsvp
from events.services import event_series_create
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
SECRET_ADDRESS = "7 Hidden Lane, Leeds"
SECRET_LINK = "https://meet.example/secret-room"
ONE_HOUR = dt.timedelta(hours=1)


@pytest.fixture
def world():
    group = GroupFactory(name="Leeds Singers", city="Leeds")
    people = {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": MembershipFactory(group=group).user,
        "going": MembershipFactory(group=group).user,
        "host": MembershipFactory(group=group, role=Membership.Role.HOST).user,
        "organizer": MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user,
    }
    event = EventFactory(
        group=group,
        title="Choir night",
        description="Sing **with** us.",
        timezone="Europe/London",
        starts_at=dt.datetime(2099, 12, 3, 18, 30, tzinfo=LONDON),
        ends_at=dt.datetime(2099, 12, 3, 20, 0, tzinfo=LONDON),
        venue_name="Community hall",
        address=SECRET_ADDRESS,
        latitude=53.8,
        longitude=-1.55,
        online_url=SECRET_LINK,
        capacity=10,
        guests_allowed=2,
        accessibility_notes="Ramp at the side door.",
        cost_note="Free",
    )
    RsvpFactory(event=event, user=people["going"])
    return {"group": group, "event": event, **people}


def login(client, user):
    if user is not None:
        client.force_login(user)


def detail_url(event):
    return reverse("events:detail", kwargs={"slug": event.slug})


def structured_data(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def message_texts(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Home ----------------------------------------------------------------------------------


def test_home_says_what_a_visitor_can_do_and_shows_events(client, world):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Browse upcoming events" in html
    assert "Sign up to RSVP" in html
    assert "Choir night" in html


def test_home_shows_a_members_groups_events(client, world):
    login(client, world["member"])
    response = client.get(reverse("home"))
    assert response.context["picks"].in_my_groups == [world["event"]]
    assert "Coming up in your groups" in response.content.decode()


def test_home_never_shows_private_events_to_outsiders(client):
    EventFactory(title="Secret circle", group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    assert "Secret circle" not in client.get(reverse("home")).content.decode()


# --- Event page ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_event_page_hides_address_and_link_from_people_not_going(client, world, who):
    login(client, world[who])
    response = client.get(detail_url(world["event"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Community hall" in html
    assert "Hidden Lane" not in html
    assert "secret-room" not in html
    assert "shown to people going" in html
    place = structured_data(html)["location"]
    assert "Hidden Lane" not in json.dumps(place)
    assert "secret-room" not in json.dumps(place)
    assert place[0]["name"] == "Community hall"
    assert place[0]["address"] == {"@type": "PostalAddress", "addressLocality": "Leeds"}


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_event_page_names_the_events_own_city_before_the_groups(client, world, who):
    Event.objects.filter(pk=world["event"].pk).update(city="Bradford")
    login(client, world[who])
    html = client.get(detail_url(world["event"])).content.decode()
    assert "Community hall, Bradford" in html
    place = structured_data(html)["location"][0]
    assert place["address"] == {"@type": "PostalAddress", "addressLocality": "Bradford"}
    assert "location=Community+hall%2C+Bradford" in html
    ics = client.get(reverse("events:ics", kwargs={"slug": world["event"].slug})).content
    assert b"LOCATION:Community hall\\, Bradford" in ics
    assert b"Hidden Lane" not in ics


@pytest.mark.parametrize("who", ["going", "host", "organizer"])
def test_event_page_shows_address_and_link_to_people_going_and_organizers(client, world, who):
    login(client, world[who])
    html = client.get(detail_url(world["event"])).content.decode()
    assert SECRET_ADDRESS in html
    assert SECRET_LINK in html
    data = structured_data(html)
    assert data["location"][0]["address"]["streetAddress"] == SECRET_ADDRESS
    assert data["location"][1] == {"@type": "VirtualLocation", "url": SECRET_LINK}


def test_event_page_shows_details_in_the_events_time_zone(client, world):
    html = client.get(detail_url(world["event"])).content.decode()
    assert "Thu 3 Dec 2099, 18:30</time>\u2013" in html
    assert ">20:00</time> (Europe/London)" in html
    assert "Sing <strong>with</strong> us." in html
    assert "Ramp at the side door." in html
    assert "Newcomers welcome" in html
    assert "Free" in html
    assert "9 seats left of 10" in html


def test_event_page_links_its_calendar_file_and_describes_itself(client, world):
    event = world["event"]
    html = client.get(detail_url(event)).content.decode()
    ics = reverse("events:ics", kwargs={"slug": event.slug})
    assert f'<link rel="alternate" type="text/calendar" href="{ics}"' in html
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in html
    assert "dates=20991203T183000Z%2F20991203T200000Z" in html
    data = structured_data(html)
    assert data["@type"] == "Event"
    assert data["name"] == "Choir night"
    assert data["startDate"] == "2099-12-03T18:30:00+00:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["organizer"]["name"] == "Leeds Singers"


def test_google_calendar_link_has_no_address_for_people_not_going(client, world):
    html = client.get(detail_url(world["event"])).content.decode()
    link = re.search(r'href="(https://calendar.google.com[^"]*)"', html).group(1)
    assert "Hidden" not in link
    assert "location=Community+hall%2C+Leeds" in link


def test_json_ld_cannot_be_closed_by_text_members_write(client, world):
    Event.objects.filter(pk=world["event"].pk).update(
        title="</script><script>alert(1)</script>", description="<!-- & -->"
    )
    html = client.get(detail_url(world["event"])).content.decode()
    assert "<script>alert(1)" not in html
    assert structured_data(html)["name"] == "</script><script>alert(1)</script>"


@pytest.mark.parametrize("visibility", [Group.Visibility.PRIVATE])
@pytest.mark.parametrize("who", ["anonymous", "outsider", "pending", "banned"])
def test_private_group_event_is_404_for_outsiders(client, visibility, who):
    event = EventFactory(group=GroupFactory(visibility=visibility))
    users = {
        "anonymous": None,
        "outsider": UserFactory(),
        "pending": MembershipFactory(group=event.group, status=Membership.Status.PENDING).user,
        "banned": MembershipFactory(group=event.group, status=Membership.Status.BANNED).user,
    }
    login(client, users[who])
    for name in ("detail", "ics", "edit", "cancel", "attendees"):
        url = reverse(f"events:{name}", kwargs={"slug": event.slug})
        assert client.get(url).status_code == 404, name
    assert client.post(reverse("events:rsvp", kwargs={"slug": event.slug})).status_code == 404
    assert not Rsvp.objects.exists()


def test_private_group_event_is_visible_to_members_and_not_indexed(client):
    event = EventFactory(group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    login(client, MembershipFactory(group=event.group).user)
    html = client.get(detail_url(event)).content.decode()
    assert '<meta name="robots" content="noindex">' in html


def test_unknown_event_is_404(client):
    assert client.get("/events/no-such-event/").status_code == 404


def test_anonymous_visitor_is_offered_sign_up_and_log_in_back_to_the_event(client, world):
    html = client.get(detail_url(world["event"])).content.decode()
    back = "?next=" + detail_url(world["event"])
    assert f'href="{reverse("account_signup")}{back}">Sign up to RSVP</a>' in html
    assert f'href="{reverse("account_login")}{back}"' in html
    assert 'action="/events/' not in html


def test_outsider_of_an_open_group_is_offered_im_going(client, world):
    login(client, world["outsider"])
    html = client.get(detail_url(world["event"])).content.decode()
    assert "I&#x27;m going" in html or "I'm going" in html
    assert "Going also makes you a member of Leeds Singers." in html
    assert "conduct_accepted" not in html  # the group has no code of conduct


def test_outsider_of_an_approval_group_is_asked_to_join(client, world):
    Group.objects.filter(pk=world["group"].pk).update(join_policy=Group.JoinPolicy.APPROVAL)
    login(client, world["outsider"])
    html = client.get(detail_url(world["event"])).content.decode()
    assert "Ask to join" in html
    assert reverse("groups:join", kwargs={"slug": world["group"].slug}) in html
    assert 'name="action" value="going"' not in html


def test_member_sees_rsvp_form_with_guest_choices_up_to_the_limit(client, world):
    login(client, world["member"])
    response = client.get(detail_url(world["event"]))
    html = response.content.decode()
    assert "I'm going" in html
    assert [c[0] for c in response.context["rsvp_form"].fields["guests"].choices] == [0, 1, 2]
    assert "Not going" in html
    assert "Edit the event" not in html


def test_organizer_sees_organizer_links(client, world):
    login(client, world["organizer"])
    html = client.get(detail_url(world["event"])).content.decode()
    slug = world["event"].slug
    for name in ("edit", "cancel", "attendees"):
        assert reverse(f"events:{name}", kwargs={"slug": slug}) in html


def test_waitlisted_member_sees_place_in_line(client, world):
    event = world["event"]
    RsvpFactory(event=event, status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    RsvpFactory(
        event=event, user=world["member"], status=Rsvp.Status.WAITLISTED, waitlist_position=2
    )
    login(client, world["member"])
    html = client.get(detail_url(event)).content.decode()
    assert "number 2 in line" in html
    assert "2 people on the waitlist" in html
    assert "Leave the waitlist" in html


def test_cancelled_event_page_shows_the_message_and_no_rsvp_form(client, world):
    Event.objects.filter(pk=world["event"].pk).update(
        status=Event.Status.CANCELLED, cancellation_message="The hall *flooded*."
    )
    login(client, world["member"])
    html = client.get(detail_url(world["event"])).content.decode()
    assert "This event is cancelled." in html
    assert "The hall <em>flooded</em>." in html
    assert "I'm going" not in html
    assert "https://schema.org/EventCancelled" in html


# --- RSVP ----------------------------------------------------------------------------------


def rsvp(client, event, **data):
    return client.post(reverse("events:rsvp", kwargs={"slug": event.slug}), data)


def test_member_rsvps_going_with_guests(client, world):
    login(client, world["member"])
    response = rsvp(client, world["event"], action="going", guests="2")
    assert response.status_code == 302
    assert response["Location"] == detail_url(world["event"])
    mine = Rsvp.objects.get(event=world["event"], user=world["member"])
    assert (mine.status, mine.guests) == (Rsvp.Status.GOING, 2)
    html = client.get(detail_url(world["event"])).content.decode()
    assert "You're going." in html
    assert SECRET_ADDRESS in html


def test_more_guests_than_allowed_is_refused_with_a_message(client, world):
    login(client, world["member"])
    response = rsvp(client, world["event"], action="going", guests="3")
    assert response.status_code == 302
    assert not Rsvp.objects.filter(user=world["member"]).exists()
    follow = client.get(response["Location"])
    assert any("guests" in text for text in message_texts(follow))


def test_full_event_puts_rsvp_on_the_waitlist(client, world):
    Event.objects.filter(pk=world["event"].pk).update(capacity=1)
    login(client, world["member"])
    rsvp(client, world["event"], action="going")
    assert Rsvp.objects.get(user=world["member"]).status == Rsvp.Status.WAITLISTED
    html = client.get(detail_url(world["event"])).content.decode()
    assert "number 1 in line" in html
    assert "Hidden Lane" not in html


def test_outsider_of_an_approval_group_rsvp_is_refused_with_the_services_message(client, world):
    Group.objects.filter(pk=world["group"].pk).update(join_policy=Group.JoinPolicy.APPROVAL)
    login(client, world["outsider"])
    response = rsvp(client, world["event"], action="going")
    assert not Rsvp.objects.filter(user=world["outsider"]).exists()
    assert not Membership.objects.filter(user=world["outsider"]).exists()
    assert any("ask to join" in text for text in message_texts(client.get(response["Location"])))


def test_anonymous_rsvp_goes_to_the_login_page(client, world):
    response = rsvp(client, world["event"], action="going")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Rsvp.objects.count() == 1


def test_rsvp_by_get_is_not_allowed(client, world):
    login(client, world["member"])
    assert (
        client.get(reverse("events:rsvp", kwargs={"slug": world["event"].slug})).status_code == 405
    )


def test_going_member_cancels_and_the_seat_is_freed(client, world):
    login(client, world["going"])
    rsvp(client, world["event"], action="cancel")
    assert Rsvp.objects.get(user=world["going"]).status == Rsvp.Status.NOT_GOING
    world["event"].refresh_from_db()
    assert world["event"].seats_taken == 0


def test_member_says_not_going(client, world):
    login(client, world["member"])
    rsvp(client, world["event"], action="decline")
    assert Rsvp.objects.get(user=world["member"]).status == Rsvp.Status.NOT_GOING


def test_cancel_without_an_rsvp_says_so(client, world):
    login(client, world["member"])
    response = rsvp(client, world["event"], action="cancel")
    assert "You have no RSVP to cancel." in message_texts(client.get(response["Location"]))


@pytest.mark.parametrize("data", [{}, {"action": "dance"}, {"action": "going", "guests": "x"}])
def test_malformed_rsvp_posts_get_a_message_not_an_error(client, world, data):
    login(client, world["member"])
    response = rsvp(client, world["event"], **data)
    assert response.status_code == 302
    assert not Rsvp.objects.filter(user=world["member"]).exists()


def test_rsvp_to_a_past_event_is_refused(client, world):
    event = EventFactory(group=world["group"], starts_at=timezone.now() - dt.timedelta(days=2))
    login(client, world["member"])
    html = client.get(detail_url(event)).content.decode()
    # The page and the RSVP service say it in the same words (events.rsvp_state).
    assert "This event has already ended." in html
    response = rsvp(client, event, action="going")
    assert "This event has already ended." in message_texts(client.get(response["Location"]))


# --- Edit, cancel, attendees ---------------------------------------------------------------

# Organizer pages are not advertised: everyone else gets a 404.
ORGANIZER_PAGE_STATUS = [
    ("anonymous", 404),
    ("outsider", 404),
    ("member", 404),
    ("going", 404),
    ("host", 200),
    ("organizer", 200),
]


def edit_data(event, **changes):
    data = {
        "title": event.title,
        "description": event.description,
        "category": event.category,
        "tags": "",
        "timezone": event.timezone,
        "starts_at": "2099-12-03T18:30",
        "ends_at": "2099-12-03T20:00",
        "venue_name": event.venue_name,
        "address": event.address,
        "online_url": event.online_url,
        "capacity": "10",
        "guests_allowed": "2",
        "cost_note": "",
        "newcomers_welcome": "on",
        "accessibility_notes": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(("who", "status"), ORGANIZER_PAGE_STATUS)
def test_organizer_pages_by_role(client, world, who, status):
    login(client, world[who])
    slug = world["event"].slug
    for name in ("edit", "cancel", "attendees"):
        assert client.get(reverse(f"events:{name}", kwargs={"slug": slug})).status_code == status
    response = client.post(
        reverse("events:edit", kwargs={"slug": slug}), edit_data(world["event"], title="Hacked")
    )
    assert response.status_code == (302 if status == 200 else 404)
    response = client.post(reverse("events:cancel", kwargs={"slug": slug}), {"message": "x"})
    assert response.status_code == (302 if status == 200 else 404)
    world["event"].refresh_from_db()
    assert (world["event"].status == Event.Status.CANCELLED) is (status == 200)


def test_edit_form_shows_times_in_the_events_zone(client, world):
    login(client, world["organizer"])
    html = client.get(reverse("events:edit", kwargs={"slug": world["event"].slug})).content
    assert b'value="2099-12-03T18:30"' in html


def test_edit_reads_times_in_the_chosen_time_zone(client, world):
    login(client, world["organizer"])
    url = reverse("events:edit", kwargs={"slug": world["event"].slug})
    data = edit_data(
        world["event"],
        title="Choir night (moved)",
        timezone="America/New_York",
        starts_at="2099-07-01T19:00",
        ends_at="2099-07-01T21:30",
        tags="singing, Beginners, singing",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    event = Event.objects.get(pk=world["event"].pk)
    assert event.title == "Choir night (moved)"
    assert event.starts_at == dt.datetime(2099, 7, 1, 23, 0, tzinfo=dt.UTC)
    assert event.ends_at == dt.datetime(2099, 7, 2, 1, 30, tzinfo=dt.UTC)
    assert sorted(t.name for t in event.tags.all()) == ["Beginners", "singing"]


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"ends_at": "2099-12-03T17:00"}, "ends_at", "end after it starts"),
        ({"capacity": "-1"}, "capacity", ""),
        ({"category": "astrology"}, "category", ""),
        ({"timezone": "Mars/Olympus"}, "timezone", ""),
        ({"starts_at": "tomorrow"}, "starts_at", ""),
        ({"starts_at": "0001-01-01T00:00", "timezone": "Asia/Tokyo"}, "starts_at", "between"),
        ({"ends_at": "9999-12-31T23:00", "timezone": "America/New_York"}, "ends_at", "between"),
        ({"guests_allowed": "99"}, "guests_allowed", ""),
        ({"online_url": "javascript:alert(1)"}, "online_url", ""),
        (
            {"timezone": "Europe/London", "starts_at": "2099-03-29T01:30"},
            "starts_at",
            "does not exist",
        ),
    ],
)
def test_edit_with_bad_input_shows_form_errors(client, world, changes, field, text):
    login(client, world["organizer"])
    url = reverse("events:edit", kwargs={"slug": world["event"].slug})
    response = client.post(url, edit_data(world["event"], **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert text in " ".join(errors[field])
    world["event"].refresh_from_db()
    assert world["event"].starts_at == dt.datetime(2099, 12, 3, 18, 30, tzinfo=dt.UTC)


def test_capacity_below_seats_taken_shows_the_services_message(client, world):
    RsvpFactory.create_batch(4, event=world["event"])  # five people going
    login(client, world["organizer"])
    url = reverse("events:edit", kwargs={"slug": world["event"].slug})
    response = client.post(url, edit_data(world["event"], capacity="2"))
    assert response.status_code == 200
    assert "already taken" in response.content.decode()


def test_cancel_with_a_message(client, world):
    login(client, world["host"])
    url = reverse("events:cancel", kwargs={"slug": world["event"].slug})
    response = client.post(url, {"message": "Snow closed the roads."})
    assert response.status_code == 302
    world["event"].refresh_from_db()
    assert world["event"].status == Event.Status.CANCELLED
    assert world["event"].cancellation_message == "Snow closed the roads."
    html = client.get(detail_url(world["event"])).content.decode()
    assert "Snow closed the roads." in html
    assert "Edit the event" not in html


def test_attendee_list_shows_going_and_waitlist_to_organizers(client, world):
    waiting = RsvpFactory(
        event=world["event"], status=Rsvp.Status.WAITLISTED, waitlist_position=1
    ).user
    RsvpFactory(event=world["event"], status=Rsvp.Status.NOT_GOING)
    login(client, world["organizer"])
    response = client.get(reverse("events:attendees", kwargs={"slug": world["event"].slug}))
    assert [r.user for r in response.context["going"]] == [world["going"]]
    assert [r.user for r in response.context["waitlisted"]] == [waiting]
    html = response.content.decode()
    assert world["going"].public_name in html
    assert waiting.public_name in html


def test_attendee_list_names_the_zone_of_rsvp_times(client, world):
    event = EventFactory(group=world["group"], timezone="Asia/Tokyo")
    rsvp = RsvpFactory(event=event, user=world["going"])
    Rsvp.objects.filter(pk=rsvp.pk).update(created_at=dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC))
    login(client, world["organizer"])
    html = client.get(reverse("events:attendees", kwargs={"slug": event.slug})).content.decode()
    assert "RSVP'd (Asia/Tokyo time)</th>" in html
    assert '<time datetime="2024-06-01T21:00:00+09:00">1 Jun 2024, 21:00</time>' in html


def test_rsvp_opening_time_is_shown_in_the_event_zone(client, world):
    opens = dt.datetime(2099, 6, 1, 12, 0, tzinfo=dt.UTC)
    event = EventFactory(group=world["group"], timezone="Asia/Tokyo", rsvp_opens_at=opens)
    login(client, world["member"])
    html = client.get(detail_url(event)).content.decode()
    assert "RSVPs open on Mon 1 Jun 2099, 21:00 (Asia/Tokyo)." in html


# --- Create --------------------------------------------------------------------------------


def create_url(group):
    return reverse("group_event_create", kwargs={"slug": group.slug})


def create_data(**changes):
    data = {
        "title": "Board games",
        "description": "Bring a game.",
        "category": Category.GAMES,
        "tags": "games",
        "timezone": "America/New_York",
        "starts_at": "2099-07-01T19:00",
        "ends_at": "2099-07-01T22:00",
        "venue_name": "The library",
        "address": "",
        "online_url": "",
        "capacity": "",
        "guests_allowed": "0",
        "cost_note": "",
        "newcomers_welcome": "on",
        "accessibility_notes": "",
        "repeats": "",
        "rrule": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("outsider", 404), ("member", 404), ("host", 200), ("organizer", 200)],
)
def test_create_page_by_role(client, world, who, status):
    login(client, world[who])
    assert client.get(create_url(world["group"])).status_code == status
    response = client.post(create_url(world["group"]), create_data())
    assert response.status_code == (302 if status == 200 else 404)
    assert Event.objects.filter(title="Board games").exists() is (status == 200)


def test_create_in_a_private_group_is_404_for_outsiders(client):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    login(client, UserFactory())
    assert client.get(create_url(group)).status_code == 404
    assert client.get(create_url(GroupFactory.build(slug="nope"))).status_code == 404


def test_create_one_event_in_its_time_zone(client, world):
    login(client, world["organizer"])
    response = client.post(create_url(world["group"]), create_data())
    event = Event.objects.get(title="Board games")
    assert response["Location"] == detail_url(event)
    assert event.group == world["group"]
    assert event.timezone == "America/New_York"
    assert event.starts_at == dt.datetime(2099, 7, 1, 23, 0, tzinfo=dt.UTC)
    assert event.capacity is None
    assert [t.name for t in event.tags.all()] == ["games"]


def test_create_and_edit_keep_the_events_own_city(client, world):
    login(client, world["organizer"])
    client.post(create_url(world["group"]), create_data(city="Bradford"))
    event = Event.objects.get(title="Board games")
    assert event.city == "Bradford"
    edit = reverse("events:edit", kwargs={"slug": event.slug})
    assert 'value="Bradford"' in client.get(edit).content.decode()
    client.post(edit, edit_data(event, starts_at="2099-07-01T19:00", ends_at="2099-07-01T22:00"))
    event.refresh_from_db()
    assert event.city == ""
    listed = client.get(reverse("events:list")).content.decode()
    assert "The library, Leeds" in listed


def test_create_a_weekly_series(client, world):
    login(client, world["organizer"])
    now = timezone.now()
    start = (now + dt.timedelta(days=1)).astimezone(zoneinfo.ZoneInfo("America/New_York"))
    data = create_data(
        starts_at=start.strftime("%Y-%m-%dT19:00"),
        ends_at=start.strftime("%Y-%m-%dT21:00"),
        repeats="weekly",
    )
    response = client.post(create_url(world["group"]), data)
    assert response.status_code == 302
    series = EventSeries.objects.get()
    assert series.rrule.startswith("FREQ=WEEKLY")
    occurrences = list(series.occurrences.order_by("starts_at"))
    assert len(occurrences) >= 2
    assert response["Location"] == detail_url(occurrences[0])
    assert occurrences[1].starts_at - occurrences[0].starts_at in (
        dt.timedelta(days=7),
        dt.timedelta(days=7, hours=1),
        dt.timedelta(days=7, hours=-1),
    )


@pytest.mark.parametrize("rule", ["", "FREQ=SECONDLY", "FREQ=WEEKLY;BYDAY=TU"])
def test_a_new_event_offers_no_custom_rule(client, world, rule):
    login(client, world["organizer"])
    response = client.post(create_url(world["group"]), create_data(repeats="custom", rrule=rule))
    assert response.status_code == 200
    assert "repeats" in response.context["form"].errors
    assert not EventSeries.objects.exists()
    assert not Event.objects.filter(title="Board games").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": "2099-07-01T18:00"}, "ends_at"),
        ({"capacity": "-5"}, "capacity"),
        ({"category": "nope"}, "category"),
        ({"title": ""}, "title"),
        ({"repeats": "hourly"}, "repeats"),
    ],
)
def test_create_with_bad_input_shows_form_errors(client, world, changes, field):
    login(client, world["organizer"])
    response = client.post(create_url(world["group"]), create_data(**changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Event.objects.filter(group=world["group"]).exclude(pk=world["event"].pk).exists()


def test_series_refusal_is_shown_beside_the_matching_field(client, world):
    login(client, world["organizer"])
    data = create_data(repeats="weekly", ends_at="2099-07-21T22:00")
    response = client.post(create_url(world["group"]), data)
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors
    assert not EventSeries.objects.exists()


def test_create_without_any_place_asks_for_one(client, world):
    login(client, world["organizer"])
    response = client.post(create_url(world["group"]), create_data(venue_name=""))
    assert response.status_code == 200
    assert "Give a venue, an address or an online link." in response.content.decode()


# --- Copy ----------------------------------------------------------------------------------


def copy_url(event):
    return reverse("events:copy", kwargs={"slug": event.slug})


def copy_data(event, **changes):
    """The copy form as it opens (details of `event`), with new dates and `changes`."""
    data = edit_data(event, starts_at="2099-12-10T18:30", ends_at="2099-12-10T20:00")
    data.update({"city": event.city, "repeats": "", "rrule": "", **changes})
    return data


@pytest.mark.parametrize(("who", "status"), ORGANIZER_PAGE_STATUS)
def test_copy_page_by_role(client, world, who, status):
    login(client, world[who])
    assert client.get(copy_url(world["event"])).status_code == status
    response = client.post(copy_url(world["event"]), copy_data(world["event"]))
    assert response.status_code == (302 if status == 200 else 404)
    assert Event.objects.filter(title="Choir night").count() == (2 if status == 200 else 1)


def test_copy_form_opens_with_the_events_details_and_no_dates(client, world):
    event = world["event"]
    event.tags.create(name="Singing", slug="singing")
    Event.objects.filter(pk=event.pk).update(city="Otley")
    login(client, world["organizer"])

    response = client.get(copy_url(event))

    initial = response.context["form"].initial
    assert initial["title"] == "Choir night"
    assert (initial["venue_name"], initial["address"], initial["city"]) == (
        "Community hall",
        SECRET_ADDRESS,
        "Otley",
    )
    assert (initial["online_url"], initial["capacity"], initial["guests_allowed"]) == (
        SECRET_LINK,
        10,
        2,
    )
    assert (initial["timezone"], initial["tags"]) == ("Europe/London", "Singing")
    for name in ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at"):
        assert name not in initial
    html = response.content.decode()
    assert "Copy “Choir night”" in html
    assert 'name="starts_at" value=' not in html


def test_copy_creates_a_new_event_and_leaves_the_original(client, world):
    event = world["event"]
    login(client, world["host"])

    response = client.post(copy_url(event), copy_data(event, tags="Singing"))

    copy = Event.objects.exclude(pk=event.pk).get(title="Choir night")
    assert response["Location"] == detail_url(copy)
    assert copy.slug == "choir-night-2099-12-10"
    assert copy.starts_at == dt.datetime(2099, 12, 10, 18, 30, tzinfo=LONDON)
    assert (copy.group, copy.created_by, copy.series) == (world["group"], world["host"], None)
    assert (copy.seats_taken, copy.status) == (0, Event.Status.SCHEDULED)
    assert not copy.rsvps.exists()
    assert [t.name for t in copy.tags.all()] == ["Singing"]
    event.refresh_from_db()
    assert (event.seats_taken, event.starts_at.day) == (1, 3)


def test_copy_of_a_past_cancelled_occurrence_is_a_single_new_event(client, world):
    organizer = world["organizer"]
    series = event_series_create(
        group=world["group"],
        actor=organizer,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=1),
        title="Walk",
        category="outdoors",
        venue_name="Park gate",
        horizon_days=14,
    )
    occurrence = series.occurrences.first()
    Event.objects.filter(pk=occurrence.pk).update(status=Event.Status.CANCELLED)
    login(client, organizer)
    assert client.get(copy_url(occurrence)).status_code == 200

    client.post(copy_url(occurrence), copy_data(occurrence, address="", online_url=""))

    copy = Event.objects.get(title="Walk", series__isnull=True)
    assert (copy.venue_name, copy.status) == ("Park gate", Event.Status.SCHEDULED)


def test_copy_without_new_dates_is_a_form_error(client, world):
    login(client, world["organizer"])
    response = client.post(
        copy_url(world["event"]), copy_data(world["event"], starts_at="", ends_at="")
    )
    assert response.status_code == 200
    assert {"starts_at", "ends_at"} <= set(response.context["form"].errors)
    assert Event.objects.count() == 1


def test_organizer_sees_the_copy_link_and_members_do_not(client, world):
    login(client, world["organizer"])
    assert copy_url(world["event"]) in client.get(detail_url(world["event"])).content.decode()
    login(client, world["member"])
    assert copy_url(world["event"]) not in client.get(detail_url(world["event"])).content.decode()


# --- My events -----------------------------------------------------------------------------


def test_my_events_needs_login(client):
    response = client.get(reverse("events:mine"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_my_events_lists_my_rsvps_and_the_private_feed(client, world):
    user = world["going"]
    other = EventFactory(group=world["group"], title="Someone else's")
    RsvpFactory(event=other)
    login(client, user)
    response = client.get(reverse("events:mine"))
    html = response.content.decode()
    assert "Choir night" in html
    assert "Someone else" not in html
    feed = reverse("calendar_feed", kwargs={"token": user.calendar_token})
    assert f"http://testserver{feed}" in html
    assert f"webcal://testserver{feed}" in html


def rsvp_to_events(user, *, coming: int, past: int) -> None:
    """`coming` upcoming and `past` past events the user is going to, a day apart."""
    now = timezone.now()
    group = GroupFactory()
    days = [("Coming", day, day + 1) for day in range(coming)]
    days += [("Past", day, -(day + 1)) for day in range(past)]
    for label, number, offset in days:
        starts = now + dt.timedelta(days=offset)
        event = EventFactory(
            group=group, title=f"{label} {number}", starts_at=starts, ends_at=starts + ONE_HOUR
        )
        RsvpFactory(event=event, user=user)


def titles(page) -> list[str]:
    return [rsvp.event.title for rsvp in page.object_list]


@pytest.fixture
def three_and_three(client, settings):
    """A logged-in client whose user goes to three coming and three past events; pages of 2."""
    settings.PAGE_SIZE = 2
    user = UserFactory()
    rsvp_to_events(user, coming=3, past=3)
    login(client, user)
    return client


def test_my_events_pages_coming_and_past_lists_separately(three_and_three):
    client = three_and_three
    response = client.get(reverse("events:mine"), {"past_page": "2"})
    assert titles(response.context["upcoming"]) == ["Coming 0", "Coming 1"]
    assert titles(response.context["past"]) == ["Past 2"]
    html = response.content.decode()
    # Each list's links turn its own page and keep the other list where it is.
    assert 'href="?past_page=2&amp;upcoming_page=2#upcoming-heading"' in html
    assert 'href="?past_page=1#past-heading"' in html
    assert 'aria-label="Pages of coming events"' in html
    assert 'aria-label="Pages of past events"' in html
    response = client.get(reverse("events:mine"), {"upcoming_page": "2", "past_page": "2"})
    assert titles(response.context["upcoming"]) == ["Coming 2"]
    assert titles(response.context["past"]) == ["Past 2"]


def test_my_events_past_list_is_not_cut_short(client, settings):
    settings.PAGE_SIZE = 50
    user = UserFactory()
    rsvp_to_events(user, coming=0, past=51)
    login(client, user)
    response = client.get(reverse("events:mine"), {"past_page": "2"})
    assert titles(response.context["past"]) == ["Past 50"]


def test_my_events_page_size_is_capped(three_and_three, settings):
    settings.PAGE_SIZE = 500
    settings.MAX_PAGE_SIZE = 2
    response = three_and_three.get(reverse("events:mine"))
    assert len(response.context["upcoming"].object_list) == 2
    assert len(response.context["past"].object_list) == 2


@pytest.mark.parametrize("number", ["abc", "0", "-1", "99", "1.5", ""])
def test_my_events_bad_page_numbers_show_a_page_not_an_error(three_and_three, number):
    response = three_and_three.get(
        reverse("events:mine"), {"upcoming_page": number, "past_page": number}
    )
    assert response.status_code == 200
    assert titles(response.context["upcoming"])
    assert titles(response.context["past"])


# --- Browse and search ---------------------------------------------------------------------


def test_list_shows_listed_events_only(client, world):
    EventFactory(title="Secret circle", group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    EventFactory(title="Hidden link", group=GroupFactory(visibility=Group.Visibility.UNLISTED))
    html = client.get(reverse("events:list")).content.decode()
    assert "Choir night" in html
    assert "Secret circle" not in html
    assert "Hidden link" not in html
    assert "Hidden Lane" not in html


def test_list_form_has_a_label_for_every_visible_field(client, world):
    response = client.get(reverse("events:list"))
    html = response.content.decode()
    for field in response.context["form"].visible_fields():
        assert f'<label for="{field.id_for_label}"' in html


def test_list_filters_by_text(client, world):
    EventFactory(title="Park walk", group=world["group"])
    response = client.get(reverse("events:list"), {"q": "walk"})
    assert [e.title for e in response.context["page"]] == ["Park walk"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2024-13-45"}, "date_from"),
        ({"date_from": "0001-01-01"}, "date_from"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "2030-01-02", "date_to": "2030-01-01"}, "date_to"),
        ({"category": "astrology"}, "category"),
        ({"radius_km": "-3", "lat": "53.8", "lon": "-1.5"}, "radius_km"),
        ({"radius_km": "far"}, "radius_km"),
        ({"radius_km": "10"}, "radius_km"),
        ({"lat": "91", "lon": "0"}, "lat"),
        ({"lat": "nan", "lon": "0"}, "lat"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": "-1"}, "per_page"),
        ({"mode": "teleport"}, "mode"),
        ({"group": "a b"}, "group"),
    ],
)
def test_list_with_bad_input_shows_a_message_not_a_500(client, world, params, field):
    response = client.get(reverse("events:list"), params)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["page"] is None
    assert "Please correct the errors below." in response.content.decode()


def test_list_with_only_one_coordinate_asks_for_a_place(client, world):
    response = client.get(reverse("events:list"), {"lat": "53.8"})
    assert response.status_code == 200
    assert "Type a town, city or postcode to search near it." in response.content.decode()


def test_list_distance_uses_the_profile_location(client, world):
    user = UserFactory(latitude=53.80, longitude=-1.55)
    EventFactory(title="Far away", latitude=51.5, longitude=-0.12)
    login(client, user)
    response = client.get(reverse("events:list"), {"radius_km": "10"})
    assert [e.title for e in response.context["page"]] == ["Choir night"]
    assert "Less than 1 km away" in response.content.decode()


def test_list_page_size_is_capped_and_out_of_range_pages_show_the_last(client, world):
    response = client.get(reverse("events:list"), {"per_page": "100000"})
    assert response.context["page"].per_page == settings.MAX_PAGE_SIZE
    response = client.get(reverse("events:list"), {"page": "999"})
    assert response.status_code == 200
    assert response.context["page"].number == 1


def test_list_paginates(client, world):
    for _ in range(3):
        EventFactory(group=world["group"])
    first = client.get(reverse("events:list"), {"per_page": "2"})
    assert len(first.context["page"]) == 2
    assert "page=2" in first.content.decode()
    second = client.get(reverse("events:list"), {"per_page": "2", "page": "2"})
    assert len(second.context["page"]) == 2
    assert {e.pk for e in first.context["page"]}.isdisjoint(e.pk for e in second.context["page"])


def test_list_of_one_groups_events(client, world):
    EventFactory(title="Elsewhere")
    response = client.get(reverse("events:list"), {"group": world["group"].slug})
    assert [e.title for e in response.context["page"]] == ["Choir night"]
    assert "Events of Leeds Singers" in response.content.decode()


# --- The group page's events section ------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "can_add"), [("member", False), ("host", True), ("anonymous", False)]
)
def test_group_page_lists_upcoming_events_and_the_feed(client, world, who, can_add):
    EventFactory(
        group=world["group"], title="Past one", starts_at=timezone.now() - dt.timedelta(days=3)
    )
    login(client, world[who])
    html = client.get(world["group"].get_absolute_url()).content.decode()
    assert "Choir night" in html
    assert "Past one" not in html
    assert "Thu 3 Dec 2099, 18:30" in html
    assert reverse("group_events_ics", kwargs={"slug": world["group"].slug}) in html
    assert (create_url(world["group"]) in html) is can_add


@pytest.mark.parametrize(
    ("starts_at", "rule"),
    [
        ("2099-07-07T19:00", "FREQ=MONTHLY;BYDAY=1TU"),  # first Tuesday
        ("2099-07-16T19:00", "FREQ=MONTHLY;BYDAY=3TH"),  # third Thursday
        ("2099-07-29T19:00", "FREQ=MONTHLY;BYDAY=-1WE"),  # a fifth Wednesday: the last one
        ("2099-07-16T19:00", "FREQ=WEEKLY;BYDAY=TH"),
    ],
)
def test_repeat_choices_become_rules_on_the_local_weekday(starts_at, rule):
    from events.forms import EventCreateForm

    repeats = "weekly" if "WEEKLY" in rule else "monthly_weekday"
    # 19:00 in Auckland is still the day before in UTC: the rule follows the local day.
    data = create_data(
        timezone="Pacific/Auckland",
        starts_at=starts_at,
        ends_at=starts_at.replace("19:00", "21:00"),
        repeats=repeats,
    )
    form = EventCreateForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["rrule"] == rule
