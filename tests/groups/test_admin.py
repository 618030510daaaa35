import pytest
from django.urls import reverse

from groups.models import Membership
from tests.factories import MembershipFactory, UserFactory

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
