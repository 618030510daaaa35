"""The event search read in parts: on PostgreSQL a page of `q` in start order reads the events'
own words and their groups' apart (events.models.AnyOf) and merges them; it must find the same
events, in the same order, as the plain filter, and never a private group's to outsiders.
SQLite filters plainly."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from core.paging import page_of
from events import selectors
from groups.models import Group
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def at(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


@pytest.fixture
def found_many_ways():
    """Events that "heron" finds by their own words, by their group's name or town, by both,
    and ones it must not find; some in a private group."""
    heron_choir = GroupFactory(name="Heron Choir", city="York")
    in_heronsgate = GroupFactory(name="Walkers", city="Heronsgate")
    other = GroupFactory(name="Readers", city="York")
    private = GroupFactory(name="Heron Circle", visibility=Group.Visibility.PRIVATE)
    made = {
        "by_title": EventFactory(group=other, title="Heron watch", starts_at=at(1)),
        "by_description": EventFactory(group=other, description="See a heron.", starts_at=at(2)),
        "by_venue": EventFactory(group=other, venue_name="The Heron", starts_at=at(3)),
        "by_group": EventFactory(group=heron_choir, starts_at=at(4)),
        "by_both": EventFactory(group=heron_choir, title="Heron songs", starts_at=at(4)),
        "by_group_town": EventFactory(group=in_heronsgate, city="", starts_at=at(5)),
        "long_by_group": EventFactory(group=heron_choir, starts_at=at(-20), ends_at=at(20)),
        "private": EventFactory(group=private, starts_at=at(6)),
        "private_by_title": EventFactory(group=private, title="Heron count", starts_at=at(7)),
    }
    for day in range(8, 14):
        made[f"by_group_{day}"] = EventFactory(group=heron_choir, starts_at=at(day))
    # Not found: a town of its own that is not the group's, another group, an ended event.
    EventFactory(group=in_heronsgate, city="Leeds", starts_at=at(2))
    EventFactory(group=other, starts_at=at(3))
    EventFactory(group=heron_choir, starts_at=at(-3), ends_at=at(-2))
    return made


def plain(user, text: str) -> list:
    """The whole list, unsliced: read by the plain filter on every database."""
    return list(selectors.event_list_results(user=user, filters={"text": text}))


def paged(user, text: str, per_page: int) -> list:
    queryset = selectors.event_list_results(user=user, filters={"text": text})
    seen, number = [], 1
    while (page := page_of(queryset, number, per_page)) is not None:
        seen += page.object_list
        if not page.has_next:
            break
        number += 1
    return seen


@pytest.mark.parametrize("per_page", [1, 3, 20])
def test_pages_of_a_search_find_what_the_plain_filter_finds(found_many_ways, per_page):
    visitor = None
    want = plain(visitor, "heron")
    assert [e.pk for e in paged(visitor, "heron", per_page)] == [e.pk for e in want]
    public = {k: v for k, v in found_many_ways.items() if not k.startswith("private")}
    assert {e.pk for e in want} == {e.pk for e in public.values()}
    assert want[0] == found_many_ways["long_by_group"]


def test_an_event_found_both_ways_is_listed_once(found_many_ways):
    page = list(selectors.event_list_results(user=None, filters={"text": "heron"})[:21])
    assert len(page) == len({e.pk for e in page})
    assert found_many_ways["by_both"] in page


def test_a_private_groups_events_are_found_by_its_members_only(found_many_ways):
    members_group = found_many_ways["private"].group
    member = MembershipFactory(group=members_group).user
    outsider = UserFactory()
    private = {found_many_ways["private"].pk, found_many_ways["private_by_title"].pk}
    for user in (None, outsider):
        page = selectors.event_list_results(user=user, filters={"text": "heron"})[:21]
        assert private.isdisjoint(e.pk for e in page)
    page = list(selectors.event_list_results(user=member, filters={"text": "heron"})[:21])
    assert private <= {e.pk for e in page}
    assert [e.pk for e in page] == [e.pk for e in plain(member, "heron")]


def test_every_word_must_match_in_parts_too(found_many_ways):
    page = list(selectors.event_list_results(user=None, filters={"text": "heron songs"})[:21])
    assert page == [found_many_ways["by_both"]]
    page = list(selectors.event_list_results(user=None, filters={"text": "york heron"})[:21])
    assert page == plain(None, "york heron")
    assert found_many_ways["by_group_town"] not in page


def test_postgresql_reads_the_words_and_the_groups_apart(
    found_many_ways, django_assert_num_queries
):
    queryset = selectors.event_list_visible(user=None, filters={"text": "heron"})[:21]
    with django_assert_num_queries(2) as captured:  # the page, its tags
        list(queryset)
    sql = captured.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "UNION" in sql
        assert "UNION ALL" not in sql  # an event found by two parts is kept once
    else:
        assert "UNION" not in sql
