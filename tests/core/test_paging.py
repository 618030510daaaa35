"""core.paging: pages without counting, and page numbers out of range (below 1, past the end,
or far too big for the database's offset) behaving as each list decided: the nearest page or
none at all, never a 500."""

import pytest
from django.urls import reverse

from core.paging import MAX_PAGE, nearest_page_of, page_of
from groups.models import Group
from tests.factories import EventFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


def _groups(count):
    for _ in range(count):
        GroupFactory(visibility=Group.Visibility.PUBLIC)
    return Group.objects.order_by("pk")


@pytest.mark.parametrize("number", ["0", "-1", "x", str(MAX_PAGE + 1), HUGE, "3"])
def test_page_of_has_no_such_page(number):
    assert page_of(_groups(3), number, per_page=2) is None


def test_page_of_reads_a_page_and_knows_about_the_next():
    page = page_of(_groups(3), "1", per_page=2)
    assert len(page) == 2
    assert page.has_next
    assert not page.has_previous()
    last = page_of(Group.objects.order_by("pk"), "2", per_page=2)
    assert len(last) == 1
    assert not last.has_next
    assert last.has_previous()


@pytest.mark.parametrize(
    ("number", "shown"), [("x", 1), ("0", 2), ("7", 2), (str(MAX_PAGE + 1), 2), (HUGE, 2)]
)
def test_nearest_page_of_shows_the_first_or_last_page(number, shown):
    assert nearest_page_of(_groups(3), number, per_page=2).number == shown


def test_event_list_with_a_huge_page_number_shows_the_nearest_page(client):
    EventFactory(group=GroupFactory(visibility=Group.Visibility.PUBLIC), title="Only one")
    response = client.get(reverse("events:list"), {"page": HUGE})
    assert response.status_code == 200
    assert "Only one" in response.content.decode()


def test_my_events_with_huge_page_numbers_show_the_nearest_pages(client):
    client.force_login(UserFactory())
    response = client.get(reverse("events:mine"), {"going": HUGE, "page": HUGE, "past": HUGE})
    assert response.status_code == 200


@pytest.mark.parametrize("number", [HUGE, str(MAX_PAGE + 1), "2"])
def test_group_list_past_the_end_is_a_404(client, number):
    GroupFactory(visibility=Group.Visibility.PUBLIC)
    assert client.get(reverse("groups:list"), {"page": number}).status_code == 404


def test_the_deepest_page_has_no_next_link_and_says_there_is_more():
    groups = _groups(5)
    deepest = page_of(groups, "2", per_page=2, deepest=2)
    assert len(deepest) == 2
    assert not deepest.has_next
    assert deepest.more_beyond
    assert not page_of(groups, "1", per_page=2, deepest=2).more_beyond
    assert page_of(groups, "3", per_page=2, deepest=2) is None
    assert page_of(groups, "3", per_page=2).number == 3  # other lists go as deep as they are
    assert not page_of(groups.filter(pk__lte=groups[3].pk), "2", per_page=2, deepest=2).more_beyond


def test_a_page_past_the_end_counts_no_further_than_the_deepest_page():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    groups = _groups(7)
    with CaptureQueriesContext(connection) as queries:
        page = nearest_page_of(groups, "9", per_page=2, deepest=2)
    assert page.number == 2
    assert page.more_beyond
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 4" in counts[0]
    few = nearest_page_of(groups.filter(pk__lte=groups[2].pk), "9", per_page=2, deepest=2)
    assert (few.number, len(few), few.more_beyond) == (2, 1, False)
    with CaptureQueriesContext(connection) as queries:
        whole = nearest_page_of(groups, "99", per_page=2)  # a list of full depth counts all
    assert (whole.number, len(whole), whole.has_next) == (4, 1, False)
    counts = [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT" not in counts[0].upper()


def test_the_searchable_lists_go_browse_rows_deep_whatever_the_page_size(monkeypatch):
    from core import paging

    monkeypatch.setattr(paging, "BROWSE_ROWS", 1000)
    assert [paging.browse_depth(n) for n in (1, 20, 100, 1000, 5000)] == [1000, 50, 10, 1, 1]


def test_the_event_list_and_volunteering_go_browse_rows_deep(client, monkeypatch):
    from core import paging
    from tests.factories import VolunteerProjectFactory

    monkeypatch.setattr(paging, "BROWSE_ROWS", 40)  # two pages of twenty, four of ten
    group = GroupFactory(visibility=Group.Visibility.PUBLIC)
    for i in range(25):
        EventFactory(group=group, title=f"Walk {i:02}")
    for i in range(20):
        EventFactory(group=group, title=f"Choir {i:02}")
    deepest = client.get(reverse("events:list"), {"page": "4", "per_page": "10"})
    assert "narrow the search" in deepest.content.decode()
    assert 'rel="next"' not in deepest.content.decode()
    third = client.get(reverse("events:list"), {"page": "3", "per_page": "10"}).content.decode()
    assert "narrow the search" not in third
    assert 'rel="next"' in third
    past = client.get(reverse("events:list"), {"page": "9", "per_page": "10"}).content.decode()
    assert "narrow the search" in past  # the nearest page is the deepest
    client.force_login(UserFactory())
    member = client.get(reverse("events:list"), {"page": "2"}).content.decode()
    assert "narrow the search" in member
    assert 'rel="next"' not in member
    for i in range(45):
        VolunteerProjectFactory(group=group, title=f"Pantry {i:02}")
    projects = client.get(reverse("volunteering:list"), {"page": "2"}).content.decode()
    assert "narrow the search" in projects
    assert 'rel="next"' not in projects


def test_the_directory_s_deepest_page_tells_the_visitor_to_narrow_the_search(client, monkeypatch):
    from core import paging

    monkeypatch.setattr(paging, "BROWSE_ROWS", 20)
    for i in range(25):
        GroupFactory(visibility=Group.Visibility.PUBLIC, name=f"Choir {i:02}")
    body = client.get(reverse("groups:list"), {"page": "2", "per_page": "10"}).content.decode()
    assert "narrow the search" in body
    assert 'rel="next"' not in body
    first = client.get(reverse("groups:list"), {"per_page": "10"}).content.decode()
    assert "narrow the search" not in first
    assert 'rel="next"' in first
    assert client.get(reverse("groups:list"), {"page": "3", "per_page": "10"}).status_code == 404
