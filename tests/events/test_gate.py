"""The gate in front of an event: a private group's event answers an outsider exactly as a
missing one does (status and headers, page cache on or off), so nothing tells them it exists."""

import pytest
from django.core.cache import cache

from groups.models import Group
from tests.factories import EventFactory, GroupFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("cached", [False, True])
def test_a_private_groups_event_answers_as_a_missing_one_with_the_same_headers(
    client, settings, cached
):
    settings.PAGE_CACHE_SECONDS = 60 if cached else 0
    cache.clear()
    event = EventFactory(group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    for _ in range(2):
        hidden = client.get(event.get_absolute_url())
        missing = client.get("/events/no-such-event-2026-01-01-abcd/")
    assert hidden.status_code == missing.status_code == 404
    skip = {"Content-Length"}
    assert {k: v for k, v in hidden.headers.items() if k not in skip} == {
        k: v for k, v in missing.headers.items() if k not in skip
    }
    cache.clear()
