"""The groups website at the HTTP level: allowed methods on every page, rate limits, and the
group page built from the sections other apps register."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, reverse

from groups import sections, urls
from groups.models import Group, Membership
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    UserFactory,
    VolunteerProjectFactory,
)

pytestmark = pytest.mark.django_db

# The methods each groups page answers; a page missing here fails the walk below.
ALLOWED = {
    "list": {"GET"},
    "mine": {"GET"},
    "create": {"GET", "POST"},
    "detail": {"GET"},
    "edit": {"GET", "POST"},
    "delete": {"GET", "POST"},
    "join": {"GET", "POST"},
    "leave": {"GET", "POST"},
    "members": {"GET"},
    "member": {"GET"},
    "member_role": {"POST"},
    "member_remove": {"POST"},
    "member_ban": {"POST"},
    "member_unban": {"POST"},
    "requests": {"GET"},
    "request_approve": {"POST"},
    "request_decline": {"POST"},
    "report": {"GET", "POST"},
    "contact": {"GET", "POST"},
    "member_report": {"GET", "POST"},
    "member_block": {"POST"},
}
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def test_every_groups_page_answers_405_to_a_method_it_does_not_take(client):
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    member = MembershipFactory(group=group).user
    client.force_login(organizer)
    names = {pattern.name for pattern in urls.urlpatterns if isinstance(pattern, URLPattern)}
    assert names == set(ALLOWED), "say which methods each groups page takes"
    for pattern in urls.urlpatterns:
        kwargs = {}
        if "slug" in pattern.pattern.converters:
            kwargs["slug"] = group.slug
        if "user_id" in pattern.pattern.converters:
            kwargs["user_id"] = member.pk
        url = reverse(f"groups:{pattern.name}", kwargs=kwargs)
        for method in METHODS:
            if method in ALLOWED[pattern.name]:
                continue
            response = client.generic(method, url)
            assert response.status_code == 405, (pattern.name, method)
            assert set(response["Allow"].split(", ")) <= ALLOWED[pattern.name] | {"HEAD"}
    assert Membership.objects.filter(group=group, user=member).exists()


def test_the_n_plus_first_new_group_in_an_hour_gets_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "group_create": (2, 3600)}
    client.force_login(UserFactory())
    data = {
        "name": "Board games",
        "category": "games",
        "visibility": "public",
        "join_policy": "open",
        "member_list_visibility": "members",
    }
    for _ in range(2):
        assert client.post(reverse("groups:create"), data).status_code == 302
    response = client.post(reverse("groups:create"), data)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert Group.objects.filter(name="Board games").count() == 2
    # Looking at the form is not an attempt.
    assert client.get(reverse("groups:create")).status_code == 200


def test_the_n_plus_first_request_to_join_in_an_hour_gets_429(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join_request": (2, 3600)}
    person = UserFactory()
    client.force_login(person)
    groups = GroupFactory.create_batch(3, join_policy=Group.JoinPolicy.APPROVAL, join_question="")
    for group in groups[:2]:
        assert client.post(reverse("groups:join", kwargs={"slug": group.slug})).status_code == 302
    response = client.post(reverse("groups:join", kwargs={"slug": groups[2].slug}))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert not Membership.objects.filter(group=groups[2], user=person).exists()


def test_the_group_page_shows_the_sections_other_apps_register(client):
    group = GroupFactory()
    EventFactory(group=group, title="Open rehearsal")
    VolunteerProjectFactory(group=group, title="Soup kitchen")
    page = client.get(group.get_absolute_url()).text
    assert "Open rehearsal" in page
    assert "Soup kitchen" in page
    assert sorted(sections._sections) == ["care_calendars", "events", "volunteering"]


def test_a_private_group_page_runs_no_section_for_outsiders(client, monkeypatch):
    called = []
    monkeypatch.setitem(
        sections._sections,
        "spy",
        sections.Section(
            name="spy",
            order=99,
            template="events/_group_section.html",
            context=lambda **kwargs: called.append(kwargs) or {},
        ),
    )
    group = GroupFactory(visibility=Group.Visibility.PRIVATE, listed_when_private=True)
    client.force_login(UserFactory())
    assert client.get(group.get_absolute_url()).status_code == 200
    assert called == []


def test_groups_templates_do_not_load_the_events_apps_tags():
    folder = Path(django_settings.BASE_DIR) / "templates" / "groups"
    for template in folder.glob("*.html"):
        assert "event_tags" not in template.read_text(), template.name
