"""The staff admin for users: email login, search, filters, deletion through the service."""

import pytest
from django.urls import reverse

from accounts.models import User
from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    admin_user = User.objects.create_superuser(email="admin@example.com", password="pw-admin-123")
    client.force_login(admin_user)
    return client


def test_changelist_searches_by_email_and_name(staff_client):
    UserFactory(email="ann@example.com", display_name="Ann Singer")
    UserFactory(email="bo@example.com", display_name="Bo Walker")
    url = reverse("admin:accounts_user_changelist")
    content = staff_client.get(url, {"q": "walker"}).content.decode()
    assert "bo@example.com" in content
    assert "ann@example.com" not in content
    content = staff_client.get(url, {"q": "ann@"}).content.decode()
    assert "ann@example.com" in content
    assert "bo@example.com" not in content


def test_changelist_filters_deleted_accounts(staff_client):
    UserFactory(email="kept@example.com")
    gone = UserFactory(email="gone@example.com")
    staff_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_and_anonymize", "_selected_action": [gone.pk]},
    )
    url = reverse("admin:accounts_user_changelist")
    content = staff_client.get(url, {"deleted": "yes"}).content.decode()
    assert f"deleted-{gone.pk}@invalid.example" in content
    assert "kept@example.com" not in content


def test_add_user_with_email_only(staff_client):
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new@example.com",
            "usable_password": "true",
            "password1": "a long admin phrase",
            "password2": "a long admin phrase",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(email="new@example.com").check_password("a long admin phrase")


def test_change_page_opens(staff_client):
    user = UserFactory()
    response = staff_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert response.status_code == 200


def test_plain_delete_is_off_and_the_action_respects_blockers(staff_client):
    organizer = UserFactory(email="org@example.com")
    MembershipFactory(group=GroupFactory(), user=organizer, role=Membership.Role.ORGANIZER)
    assert (
        staff_client.get(reverse("admin:accounts_user_delete", args=[organizer.pk])).status_code
        == 403
    )
    response = staff_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "delete_and_anonymize", "_selected_action": [organizer.pk]},
        follow=True,
    )
    assert "was not deleted" in response.content.decode()
    organizer.refresh_from_db()
    assert organizer.deleted_at is None


def test_user_admin_never_shows_the_private_calendar_token(admin_client):
    from tests.factories import UserFactory

    person = UserFactory()
    page = admin_client.get(reverse("admin:accounts_user_change", args=[person.pk]))
    assert page.status_code == 200
    assert person.calendar_token not in page.content.decode()
