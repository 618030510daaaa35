"""A site moderator sees a private group's events only inside a moderation session, and every
private event page opened there is written to the activity log."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Activity
from core.moderation import moderation_session_start
from groups.models import Group
from tests.factories import EventFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_event():
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    start = timezone.now() + dt.timedelta(days=2)
    return EventFactory(group=group, starts_at=start, ends_at=start + dt.timedelta(hours=2))


@pytest.fixture
def moderator(client):
    user = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def _pages(event):
    return [
        reverse("events:detail", args=[event.slug]),
        reverse("events:ics", args=[event.slug]),
        reverse("events:attendees", args=[event.slug]),
        reverse("group_events_ics", args=[event.group.slug]),
    ]


def test_outside_a_session_a_superuser_gets_404_on_every_private_event_page(
    client, moderator, private_event
):
    for url in _pages(private_event):
        assert client.get(url).status_code == 404, url
    assert not Activity.objects.filter(verb="moderation.viewed").exists()


def test_in_a_session_each_private_event_page_opened_is_logged(client, moderator, private_event):
    moderation_session_start(actor=moderator, reason="A report about this circle")
    for url in _pages(private_event):
        before = Activity.objects.filter(verb="moderation.viewed").count()
        assert client.get(url).status_code == 200, url
        rows = Activity.objects.filter(verb="moderation.viewed")
        assert rows.count() > before, url
        assert set(rows.values_list("group_id", flat=True)) == {private_event.group_id}
