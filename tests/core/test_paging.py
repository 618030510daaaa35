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
