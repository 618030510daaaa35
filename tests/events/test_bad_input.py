"""Bad input on the event pages (list filters, RSVP form, standing RSVP actions): a form error,
the page again or a 400, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from events.services import event_series_create
from groups.models import Group, Membership
from tests.bad_input import NASTY
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_standing_rsvp_with_odd_actions_is_never_a_500(client):
    group = GroupFactory(visibility=Group.Visibility.PUBLIC)
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    series = event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=2),
        title="Choir",
        category="music",
        timezone="Europe/London",
        venue_name="Chapel",
        horizon_days=30,
    )
    event = Event.objects.filter(series=series).order_by("starts_at").first()
    member = MembershipFactory(group=group).user
    client.force_login(member)
    url = reverse("events:standing_rsvp", kwargs={"slug": event.slug})
    for action in [*NASTY, "start", "start", "stop", "stop"]:
        response = client.post(url, {"action": action})
        assert response.status_code in (302, 200, 400), (action, response.status_code)


def test_rsvp_form_with_bad_input_is_never_a_500(client):
    group = GroupFactory(visibility=Group.Visibility.PUBLIC, join_policy=Group.JoinPolicy.OPEN)
    event = EventFactory(group=group, capacity=3, guests_allowed=2)
    client.force_login(UserFactory())
    url = reverse("events:rsvp", kwargs={"slug": event.slug})
    for value in NASTY:
        for field in ("guests", "action", "conduct_accepted"):
            data = {"action": "going", "guests": "0", field: value}
            response = client.post(url, data)
            assert response.status_code in (302, 200, 400), (field, value, response.status_code)


def test_event_list_with_bad_filters_is_never_a_500(client):
    EventFactory(group=GroupFactory(visibility=Group.Visibility.PUBLIC))
    for value in NASTY:
        for field in (
            "date_from",
            "date_to",
            "lat",
            "lng",
            "radius",
            "q",
            "group",
            "category",
            "when",
            "near",
        ):
            response = client.get(reverse("events:list"), {field: value})
            assert response.status_code in (200, 400), (field, value, response.status_code)
