""" "My events" shows the series a regular goes to every date of, with a way to stop."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.selectors import my_standing_rsvps
from events.services import event_series_create, series_rsvp_start, series_rsvp_stop
from groups.models import Group, Membership
from groups.services import membership_ban
from tests.factories import GroupFactory, MembershipFactory, SeriesRsvpFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory(visibility=Group.Visibility.PRIVATE)


@pytest.fixture
def organizer(group):
    return MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user


@pytest.fixture
def series(group, organizer):
    return event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=2),
        title="Choir rehearsal",
        category="music",
        timezone="Europe/London",
        venue_name="Chapel",
        horizon_days=20,
    )


def test_my_events_shows_the_series_and_the_way_to_stop(client, group, series):
    person = MembershipFactory(group=group).user
    series_rsvp_start(series=series, user=person)
    client.force_login(person)

    response = client.get(reverse("events:mine"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "You go to every date" in html
    assert "Choir rehearsal" in html
    (standing, repeats) = response.context["every_date"][0]
    assert repeats.startswith("Every ")
    assert reverse("events:standing_rsvp", args=[standing.date_slug]) in html


def test_someone_else_or_a_stopped_standing_rsvp_is_not_shown(client, group, series):
    person, other = MembershipFactory(group=group).user, MembershipFactory(group=group).user
    series_rsvp_start(series=series, user=other)
    stopped = series_rsvp_start(series=series, user=person)
    series_rsvp_stop(series_rsvp=stopped, actor=person)
    client.force_login(person)

    response = client.get(reverse("events:mine"))

    assert response.context["every_date"] == []
    assert "You go to every date" not in response.content.decode()


def test_the_series_of_a_private_group_is_gone_after_a_ban(group, organizer, series):
    person = MembershipFactory(group=group).user
    standing = series_rsvp_start(series=series, user=person)
    assert [s.pk for s in my_standing_rsvps(user=person)] == [standing.pk]
    membership_ban(membership=Membership.objects.get(group=group, user=person), actor=organizer)
    assert list(my_standing_rsvps(user=person)) == []


def test_a_private_groups_series_is_never_shown_to_a_non_member(group, series):
    outsider = UserFactory()
    SeriesRsvpFactory(series=series, user=outsider)  # a row the services would not leave
    assert list(my_standing_rsvps(user=outsider)) == []


def test_the_stop_link_leads_to_the_date_soonest_to_come(group, series):
    person = MembershipFactory(group=group).user
    series_rsvp_start(series=series, user=person)
    soonest = series.occurrences.order_by("starts_at").first()

    (standing,) = my_standing_rsvps(user=person)

    assert standing.date_slug == soonest.slug
