"""Names, titles and places are one line: a line break could break calendar files and headers."""

import icalendar
import pytest
from django.urls import reverse

from core.exceptions import ServiceError
from events.services import event_create
from groups.models import Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_event_title_with_a_line_break_is_refused_by_the_service():
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    event = EventFactory.build(group=group)
    with pytest.raises(ServiceError) as refused:
        event_create(
            group=group,
            actor=organizer,
            title="Picnic\r\nX-Injected: yes",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            timezone="Europe/London",
            category="social",
            venue_name="Park",
        )
    assert "one line" in str(refused.value)


def test_group_name_with_a_line_break_is_a_form_error(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("groups:create"),
        {
            "name": "Choir\r\nX",
            "category": "music",
            "visibility": "public",
            "join_policy": "open",
            "member_list_visibility": "members",
        },
    )
    assert response.status_code == 200
    assert "Use one line" in response.content.decode()


def test_calendar_feed_survives_a_name_that_predates_the_rule(client):
    """Rows written before the rule must not take a feed down."""
    group = GroupFactory()
    type(group).objects.filter(pk=group.pk).update(name="Choir\r\nX")
    EventFactory(group=group, title="Rehearsal")
    response = client.get(reverse("group_events_ics", kwargs={"slug": group.slug}))
    assert response.status_code == 200
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Choir X"


def test_event_title_with_a_right_to_left_override_is_refused_by_the_service():
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    event = EventFactory.build(group=group)
    with pytest.raises(ServiceError) as refused:
        event_create(
            group=group,
            actor=organizer,
            title="Picnic \u202egnp.exe",
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            timezone="Europe/London",
            category="social",
            venue_name="Park",
        )
    assert "direction" in str(refused.value)


def test_group_name_with_a_direction_control_is_a_form_error(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("groups:create"),
        {
            "name": "Choir \u2067Admins\u2069",
            "category": "music",
            "visibility": "public",
            "join_policy": "open",
            "member_list_visibility": "members",
        },
    )
    assert response.status_code == 200
    assert "direction of the text" in response.content.decode()
