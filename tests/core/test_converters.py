"""Ids in URLs: a number too large for the database is an unknown page, never a 500."""

import pytest
from django.urls import reverse

from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db

HUGE = "9" * 25


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", "members/{id}/"),
        ("post", "members/{id}/role/"),
        ("post", "members/{id}/remove/"),
        ("post", "members/{id}/ban/"),
        ("post", "members/{id}/unban/"),
        ("post", "requests/{id}/approve/"),
        ("post", "requests/{id}/decline/"),
    ],
)
def test_oversized_ids_in_group_urls_are_404(client, method, suffix):
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    client.force_login(organizer)
    url = f"/groups/{group.slug}/" + suffix.format(id=HUGE)
    response = getattr(client, method)(url)
    assert response.status_code == 404


def test_ids_still_reverse_and_resolve():
    url = reverse("groups:member", kwargs={"slug": "choir", "user_id": 42})
    assert url == "/groups/choir/members/42/"


def test_oversized_notification_id_is_404(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.post(f"/notifications/{HUGE}/read/").status_code == 404
