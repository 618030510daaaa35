"""A listed private group's series stays out of its outsider page, the list filtered by
that group, the standing-RSVP page and the iCalendar of a date."""

import pytest
from django.urls import reverse

from events.models import Event
from groups.models import Group
from tests.events.test_series_lists import make_series
from tests.factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "outsider"])
def test_a_listed_private_groups_series_shows_nothing_to_outsiders(client, who):
    if who == "outsider":
        client.force_login(UserFactory())
    group = GroupFactory(visibility=Group.Visibility.PRIVATE, listed_when_private=True)
    series = make_series(group, title="Evening circle")
    date = Event.objects.filter(series=series).order_by("starts_at").first()
    for url in (
        group.get_absolute_url(),
        reverse("events:list") + f"?group={group.slug}",
        reverse("events:list") + "?q=Evening",
        reverse("home"),
        reverse("events:standing_rsvp", kwargs={"slug": date.slug}),
        reverse("events:ics", kwargs={"slug": date.slug}),
        reverse("events:rsvp_cancel", kwargs={"slug": date.slug}),
    ):
        response = client.get(url)
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        text = response.content.decode()
        assert "Evening circle" not in text, url
        assert date.slug not in text or response.status_code == 404, url
