""" "Upcoming" in start order: a long event still on is listed, whenever it started, and on
PostgreSQL a page of upcoming events is one statement in two index-served parts."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from core.paging import page_of
from events import selectors
from events.models import Event
from tests.factories import EventFactory, GroupFactory

pytestmark = pytest.mark.django_db


def at(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


@pytest.fixture
def mixed():
    """Short and long events, ended and not, in one public group."""
    group = GroupFactory()
    made = {
        "exhibition": EventFactory(group=group, starts_at=at(-90), ends_at=at(30)),
        "old_exhibition": EventFactory(group=group, starts_at=at(-400), ends_at=at(-200)),
        "festival": EventFactory(group=group, starts_at=at(-3), ends_at=at(1)),
        "ended_festival": EventFactory(group=group, starts_at=at(-5), ends_at=at(-2)),
        "tonight_over": EventFactory(group=group, starts_at=at(-0.5), ends_at=at(-0.4)),
        "on_now": EventFactory(group=group, starts_at=at(-0.1), ends_at=at(0.1)),
        "summer_camp": EventFactory(group=group, starts_at=at(2), ends_at=at(60)),
    }
    for day in range(1, 8):
        made[f"day{day}"] = EventFactory(group=group, starts_at=at(day), ends_at=at(day + 0.1))
    return made


def expected(made) -> list[Event]:
    now = timezone.now()
    return sorted(
        (event for event in made.values() if event.ends_at > now),
        key=lambda event: (event.starts_at, event.pk),
    )


def test_a_page_of_upcoming_events_holds_long_ones_still_on_in_start_order(mixed):
    events = list(Event.objects.upcoming()[:50])
    assert events == expected(mixed)
    assert events[0] == mixed["exhibition"]
    assert mixed["old_exhibition"] not in events
    assert mixed["ended_festival"] not in events
    assert mixed["tonight_over"] not in events


def test_pages_of_the_list_follow_on_across_both_parts(mixed):
    want = expected(mixed)
    queryset = selectors.event_list_visible(user=None, filters={})
    seen = []
    number = 1
    while (page := page_of(queryset, number, 3)) is not None:
        seen += page.object_list
        if not page.has_next:
            break
        number += 1
    assert seen == want
    assert queryset.count() == len(want)
    assert Event.objects.upcoming().order_by("starts_at", "id").first() == mixed["exhibition"]


def test_a_page_of_the_list_is_one_statement(mixed, django_assert_num_queries):
    queryset = Event.objects.upcoming().select_related("group")[:21]
    with django_assert_num_queries(1) as captured:
        events = list(queryset)
    assert [event.group.name for event in events] == [e.group.name for e in expected(mixed)]
    sql = captured.captured_queries[0]["sql"]
    # PostgreSQL reads the two parts from their indexes and merges them; SQLite filters.
    assert ("UNION ALL" in sql) == (connection.vendor == "postgresql")


def test_prefetched_tags_come_with_the_merged_page(mixed, django_assert_num_queries):
    mixed["exhibition"].tags.create(name="art", slug="art")
    with django_assert_num_queries(2):
        events = list(Event.objects.upcoming().prefetch_related("tags")[:21])
        assert [tag.name for tag in events[0].tags.all()] == ["art"]


def test_a_page_ordered_by_another_table_is_read_plainly(mixed):
    page = Event.objects.upcoming().order_by("starts_at", "group__name", "id")[:21]
    assert page.merged_upcoming() is None
    assert list(page) == expected(mixed)
    unordered_first = Event.objects.upcoming().order_by("title")[:1]
    assert unordered_first.merged_upcoming() is None
