"""The workspace's events section leads to creating, duplicating, editing and cancelling events
(the events app's pages), for organizers and hosts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.services import event_cancel, event_series_create
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["organizer", "host"])
def test_events_section_links_each_action(client, request, group, today, who):
    client.force_login(request.getfixturevalue(who))
    past = EventFactory(group=group, starts_at=timezone.now() - dt.timedelta(days=3))
    cancelled = EventFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=3))
    event_cancel(event=cancelled, actor=request.getfixturevalue("organizer"))
    response = client.get(reverse("workspace:events", args=[group.slug]))
    text = response.content.decode()
    assert reverse("group_event_create", args=[group.slug]) in text
    for name in ("edit", "cancel", "copy"):
        assert reverse(f"events:{name}", args=[today.slug]) in text
    assert reverse("events:series_edit", args=[today.slug]) not in text
    assert reverse("events:copy", args=[past.slug]) in text
    assert reverse("events:edit", args=[past.slug]) not in text
    assert reverse("events:cancel", args=[cancelled.slug]) not in text
    assert "<title>" in text
    assert "Download attendance" not in text.split("</title>")[0]


def test_a_repeating_date_links_the_series_edit(client, organizer, group):
    series = event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY;BYDAY=TU",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=2),
        title="Weekly circle",
        category="support",
        timezone="UTC",
        venue_name="Room 2",
        horizon_days=20,
    )
    first = series.occurrences.earliest("starts_at")
    client.force_login(organizer)
    text = client.get(reverse("workspace:events", args=[group.slug])).content.decode()
    assert reverse("events:series_edit", args=[first.slug]) in text
    page = client.get(reverse("workspace:event", args=[group.slug, first.slug]))
    text = page.content.decode()
    for name in ("series_edit", "cancel", "copy", "edit"):
        assert reverse(f"events:{name}", args=[first.slug]) in text
    assert client.get(reverse("events:copy", args=[first.slug])).status_code == 200
