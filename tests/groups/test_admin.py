import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core import bus as core_events
from groups.models import Group, Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_staff_browse_groups_and_memberships(staff_client):
    membership = MembershipFactory(role=Membership.Role.ORGANIZER)
    for name, args in [
        ("admin:groups_group_changelist", []),
        ("admin:groups_group_change", [membership.group.pk]),
        ("admin:groups_membership_changelist", []),
    ]:
        assert staff_client.get(reverse(name, args=args)).status_code == 200, name


def test_admin_cannot_bypass_the_membership_rules(staff_client):
    membership = MembershipFactory(role=Membership.Role.ORGANIZER)
    assert staff_client.get(reverse("admin:groups_group_add")).status_code == 403
    assert staff_client.get(reverse("admin:groups_membership_add")).status_code == 403
    delete = reverse("admin:groups_membership_delete", args=[membership.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.fixture
def deleting(monkeypatch):
    seen = []
    monkeypatch.setitem(
        core_events._subscribers, "group.deleting", [lambda *, topic, group: seen.append(group.pk)]
    )
    return seen


def test_closing_a_group_in_the_admin_goes_through_the_service(staff_client, deleting):
    group = GroupFactory()
    MembershipFactory(group=group, role=Membership.Role.ORGANIZER)
    RsvpFactory(event=EventFactory(group=group))
    delete = reverse("admin:groups_group_delete", args=[group.pk])
    assert staff_client.get(delete).status_code == 200
    response = staff_client.post(delete, {"post": "yes"})
    assert response.status_code == 302
    assert deleting == [group.pk]
    assert not Group.objects.filter(pk=group.pk).exists()


def test_closing_groups_in_bulk_in_the_admin_goes_through_the_service(staff_client, deleting):
    groups = GroupFactory.create_batch(2)
    response = staff_client.post(
        reverse("admin:groups_group_changelist"),
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups], "post": "yes"},
    )
    assert response.status_code == 302
    assert sorted(deleting) == sorted(g.pk for g in groups)
    assert not Group.objects.exists()


def test_staff_who_are_not_superusers_cannot_close_other_peoples_groups(client, deleting):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="groups"))
    client.force_login(staff)
    group = GroupFactory()
    # The admin is for site moderators (superusers) only: plain staff are sent to its login.
    change = client.get(reverse("admin:groups_group_change", args=[group.pk]))
    assert change.status_code == 302
    assert change["Location"].startswith(reverse("admin:login"))
    delete = reverse("admin:groups_group_delete", args=[group.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert Group.objects.filter(pk=group.pk).exists()
    assert deleting == []
