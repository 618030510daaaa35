"""The staff admin for users: email login, search, filters, deletion through the service."""

import pytest
from django.urls import reverse

from accounts.models import User
from core.models import Activity
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


def test_accounts_are_not_added_in_the_admin(staff_client):
    """People sign up themselves (createsuperuser makes the first moderator)."""
    response = staff_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new@example.com",
            "usable_password": "true",
            "password1": "a long admin phrase",
            "password2": "a long admin phrase",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(email="new@example.com").exists()


def _change_data(user, **changes):
    data = {"is_active": "on" if user.is_active else "", "is_staff": "", "is_superuser": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value}


def test_access_changes_go_through_the_service_and_are_logged(staff_client):
    user = UserFactory(display_name="Rosa")
    url = reverse("admin:accounts_user_change", args=[user.pk])
    response = staff_client.post(
        url, _change_data(user, is_staff="on", display_name="Someone else")
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_staff
    assert user.display_name == "Rosa"  # people's own data is read-only here
    row = Activity.objects.get(verb="user.access_changed")
    assert row.subject == f"accounts.user:{user.pk}"
    assert row.data == {"is_staff": [False, True]}


def test_the_last_moderator_cannot_be_demoted_in_the_admin(staff_client):
    admin_user = User.objects.get(email="admin@example.com")
    url = reverse("admin:accounts_user_change", args=[admin_user.pk])
    response = staff_client.post(url, {"is_active": "on", "is_staff": "on"}, follow=True)
    assert "at least one active site moderator" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_superuser


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
