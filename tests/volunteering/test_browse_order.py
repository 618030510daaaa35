"""/volunteer/ lists projects by their next open shift, those without one last by title, each
once with its count of open shifts, in pages that meet without a gap or a repeat."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.paging import page_of
from groups.models import Group
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    RoleFactory,
    ShiftFactory,
    VolunteerProjectFactory,
)
from volunteering import selectors
from volunteering.models import Shift, VolunteerProject

pytestmark = pytest.mark.django_db
LIST = reverse("volunteering:list")


def _shift(project, days, **kwargs):
    starts = timezone.now() + dt.timedelta(days=days)
    role = kwargs.pop("role", None) or RoleFactory(project=project)
    return ShiftFactory(role=role, starts_at=starts, **kwargs)


# Searches (words in the text, a skill) read the matching projects first, then their shifts;
# the rest read the shifts in start order: both list in the same order.
FILTERS = [{}, {"q": "handing out food"}, {"skills": "cook"}, {"cause": "food"}]


def _browse(filters=None):
    listed = selectors.project_list_visible(user=None, filters=filters)
    return [(p.title, p.open_shift_count) for p in listed[:100]]


@pytest.mark.parametrize("filters", FILTERS)
def test_projects_come_by_next_open_shift_then_those_without_by_title(filters):
    soon = VolunteerProjectFactory(title="Soon", skills="cooking")
    later = VolunteerProjectFactory(title="Later", skills="cooking")
    VolunteerProjectFactory(title="B without shifts", skills="cooking")
    none_open = VolunteerProjectFactory(title="A only past and cancelled", skills="cooking")
    role = RoleFactory(project=soon)
    for days in (9, 2, 30):  # several roles and shifts: listed once, at the earliest
        _shift(soon, days, role=role)
    _shift(soon, 1, status=Shift.Status.CANCELLED)  # cancelled: not its next shift
    _shift(later, 5)
    _shift(later, 6)
    _shift(later, -3)  # started already
    _shift(none_open, -2)
    _shift(none_open, 4, status=Shift.Status.CANCELLED)
    VolunteerProjectFactory(group=GroupFactory(visibility=Group.Visibility.PRIVATE))
    assert _browse(filters) == [
        ("Soon", 3),
        ("Later", 2),
        ("A only past and cancelled", 0),
        ("B without shifts", 0),
    ]
    # Counted (a stale page's last page, core.paging) without finding any next shift.
    listed = selectors.project_list_visible(user=None, filters=filters)
    with CaptureQueriesContext(connection) as queries:
        assert listed.count() == 4
        assert [listed.count_up_to(n) for n in (1, 3, 4, 100)] == [1, 3, 4, 4]
    assert not any("UNION" in query["sql"].upper() for query in queries)


@pytest.mark.parametrize("filters", FILTERS)
def test_projects_with_the_same_next_start_come_by_title_each_once(filters):
    starts = timezone.now() + dt.timedelta(days=3)
    for title in ("Plums", "Apples"):
        project = VolunteerProjectFactory(title=title, skills="cooking")
        role = RoleFactory(project=project)
        ShiftFactory(role=role, starts_at=starts)
        ShiftFactory(role=role, starts_at=starts)  # two at the very same time
    assert _browse(filters) == [("Apples", 2), ("Plums", 2)]


def test_next_shift_is_the_page_attribute():
    project = VolunteerProjectFactory()
    shift = _shift(project, 3)
    _shift(project, 8)
    (listed,) = selectors.project_list_visible(user=None)[:21]
    assert listed == project
    assert listed.next_shift_at == shift.starts_at


def test_cancelled_projects_and_private_groups_projects_are_not_listed(client):
    cancelled = VolunteerProjectFactory(title="Closed", status=VolunteerProject.Status.CANCELLED)
    _shift(cancelled, 2)
    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    hidden = VolunteerProjectFactory(group=private, title="Secret circle helpers")
    _shift(hidden, 1)
    VolunteerProjectFactory(title="Open door")
    assert _browse() == [("Open door", 0)]
    page = client.get(LIST).text
    assert "Secret circle" not in page
    assert "Closed" not in page
    # a member of the private group sees it listed, first (it has the next shift)
    member = MembershipFactory(group=private).user
    listed = selectors.project_list_visible(user=member)[:21]
    assert [p.title for p in listed] == ["Secret circle helpers", "Open door"]


def test_pages_meet_across_projects_with_and_without_shifts(client):
    titles = []
    for i in range(25):
        project = VolunteerProjectFactory(title=f"With {i:02}")
        _shift(project, 1 + i)
        _shift(project, 40 + i)
        titles.append(project.title)
    for i in range(20):
        titles.append(VolunteerProjectFactory(title=f"Without {i:02}").title)
    seen = []
    for number in (1, 2, 3):
        page = client.get(LIST, {"page": number}).context["page"]
        seen += [p.title for p in page.object_list]
        assert page.has_next == (number < 3)
    assert seen == titles
    # past the end: the last page (found with a count)
    assert client.get(LIST, {"page": 9}).context["page"].number == 3


def test_a_date_filter_lists_only_projects_with_an_open_shift_those_days(client):
    project = VolunteerProjectFactory(title="Dated")
    shift = _shift(project, 4)
    VolunteerProjectFactory(title="No shifts")
    day = timezone.localdate(shift.starts_at).isoformat()
    page = client.get(LIST, {"date_from": day, "date_to": day}).context["page"]
    assert [p.title for p in page.object_list] == ["Dated"]


# A search reads the site's next SEARCH_WINDOW open shifts first and the other matching projects
# only when those do not fill the page: with a window of one shift, two, or more than the site
# has, the pages list the same projects in the same order, each once, none hidden.
@pytest.mark.parametrize("window", [1, 2, 3, 4, 6, 300])
def test_a_search_pages_the_same_whatever_the_window_holds(client, monkeypatch, window):
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", window)
    private = GroupFactory(visibility=Group.Visibility.PRIVATE)
    hidden = VolunteerProjectFactory(group=private, title="Orchard secret", skills="pruning")
    _shift(hidden, 1)
    expected = []
    for i, days in enumerate([2, 3, 3, 7, 11, 12]):
        project = VolunteerProjectFactory(title=f"Orchard {i}", skills="pruning")
        _shift(project, days)
        _shift(project, days + 20)
        _shift(project, days - 1.5, status=Shift.Status.CANCELLED)
        expected.append((project.title, 2))
        other = VolunteerProjectFactory(title=f"Garden {i}", skills="digging")
        _shift(other, days - 0.5)  # shifts of projects that do not match, in the window
    for i in range(3):
        project = VolunteerProjectFactory(title=f"Orchard idle {i}", skills="pruning")
        _shift(project, -1)
        expected.append((project.title, 0))
    listed = selectors.project_list_visible(user=None, filters={"q": "orchard"})
    seen = []
    for number in (1, 2, 3, 4, 5):
        page = page_of(listed, number, 2)
        seen += [(p.title, p.open_shift_count) for p in page.object_list]
        assert page.has_next == (number < 5)
    assert seen == expected
    assert "Orchard secret" not in client.get(LIST, {"q": "orchard"}).text
    assert _browse({"skills": "pruning"}) == expected
    assert _browse({"q": "secret"}) == []
