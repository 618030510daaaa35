"""Organizers type where an event is; its point on the map follows (core.places): from the
operator's geocoder for the address when configured, else the town, else the group's point.
Coordinates are never asked of them."""

import pytest
from django.urls import reverse
from geopy.location import Location

from events.models import Event
from groups.models import Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

LEEDS = (53.796, -1.548)
YORK = (53.958, -1.082)


@pytest.fixture
def organizer_and_group(client):
    group = GroupFactory(city="Leeds", latitude=53.8008, longitude=-1.5491)
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    client.force_login(organizer)
    return organizer, group


def new_event(**changes):
    data = {
        "title": "Board games",
        "description": "Bring a game.",
        "category": "games",
        "tags": "",
        "timezone": "Europe/London",
        "starts_at": "2099-07-01T19:00",
        "ends_at": "2099-07-01T22:00",
        "venue_name": "The library",
        "address": "2 Calverley Street",
        "city": "",
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


def create(client, group, **changes) -> Event:
    url = reverse("group_event_create", kwargs={"slug": group.slug})
    response = client.post(url, new_event(**changes))
    assert response.status_code == 302
    return Event.objects.get(title="Board games")


def point(event) -> tuple:
    return (event.latitude, event.longitude)


def test_the_form_asks_no_coordinates(client, organizer_and_group):
    _organizer, group = organizer_and_group
    page = client.get(reverse("group_event_create", kwargs={"slug": group.slug})).content
    assert b'name="latitude"' not in page
    assert b'name="longitude"' not in page


def test_the_towns_point_without_a_geocoder(client, organizer_and_group, settings, monkeypatch):
    settings.GEOCODER = ""

    def no_call(*args, **kwargs):
        raise AssertionError("no geocoder is configured: no call may be made")

    monkeypatch.setattr("geopy.geocoders.Nominatim.geocode", no_call)
    event = create(client, organizer_and_group[1], city="York", latitude="1", longitude="2")
    assert point(event) == pytest.approx(YORK, abs=0.01)


def test_a_blank_town_is_the_groups(client, organizer_and_group):
    event = create(client, organizer_and_group[1])
    assert point(event) == pytest.approx(LEEDS, abs=0.01)


def test_an_unknown_town_of_the_group_falls_back_to_its_point(client):
    group = GroupFactory(city="Little Snoring", latitude=52.86, longitude=0.9)
    client.force_login(MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user)
    assert point(create(client, group)) == (52.86, 0.9)


def test_an_online_event_has_no_point(client, organizer_and_group):
    event = create(
        client, organizer_and_group[1], venue_name="", address="", online_url="https://x.test/"
    )
    assert point(event) == (None, None)


def test_a_configured_geocoder_places_the_address(
    client, organizer_and_group, settings, monkeypatch
):
    settings.GEOCODER = "nominatim"
    asked = []

    def geocode(self, query, **kwargs):
        asked.append(query)
        return Location(query, (53.8002, -1.5489), {})

    monkeypatch.setattr("geopy.geocoders.Nominatim.geocode", geocode)
    event = create(client, organizer_and_group[1])
    assert point(event) == (53.8002, -1.5489)
    assert asked == ["2 Calverley Street, Leeds"]


def test_saving_an_unchanged_place_keeps_its_point(client, organizer_and_group):
    _organizer, group = organizer_and_group
    event = EventFactory(group=group, latitude=53.81, longitude=-1.56, city="")
    data = new_event(
        title=event.title,
        venue_name=event.venue_name,
        address=event.address,
        description="Now with tea.",
    )
    response = client.post(reverse("events:edit", kwargs={"slug": event.slug}), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.description, *point(event)) == ("Now with tea.", 53.81, -1.56)
    data["city"] = "York"
    client.post(reverse("events:edit", kwargs={"slug": event.slug}), data)
    event.refresh_from_db()
    assert point(event) == pytest.approx(YORK, abs=0.01)
