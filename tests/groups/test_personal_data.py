"""The groups app's say in account deletion: an only organizer hands over or closes first."""

import pytest
from django.urls import reverse

from accounts.services import user_delete, user_deletion_blockers
from core.exceptions import ServiceError
from groups import personal_data, services
from groups.models import Group, Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

ORGANIZER = Membership.Role.ORGANIZER


def close_url(group):
    return reverse("groups:delete", kwargs={"slug": group.slug})


def members_url(group):
    return reverse("groups:members", kwargs={"slug": group.slug})


def test_only_organizer_of_a_group_with_members_must_hand_over_or_close():
    group = GroupFactory(name="Leeds Choir")
    organizer = MembershipFactory(group=group, role=ORGANIZER).user
    MembershipFactory(group=group)
    [reason] = personal_data.check(organizer)
    assert "Leeds Choir" in reason
    assert f'href="{members_url(group)}"' in reason
    assert f'href="{close_url(group)}"' in reason
    assert "hand it over" in reason


def test_only_member_left_is_told_to_close_the_group():
    group = GroupFactory(name="Quiet walkers")
    organizer = MembershipFactory(group=group, role=ORGANIZER).user
    # Requests to join and bans are not members who could take the group over.
    MembershipFactory(group=group, status=Membership.Status.PENDING)
    MembershipFactory(group=group, status=Membership.Status.BANNED)
    [reason] = personal_data.check(organizer)
    assert "Quiet walkers" in reason
    assert f'<a href="{close_url(group)}">Close the group</a>' in reason
    assert members_url(group) not in reason
    assert "hand it over" not in reason


def test_another_active_organizer_lets_the_person_go():
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=ORGANIZER).user
    MembershipFactory(group=group, role=ORGANIZER)
    assert personal_data.check(organizer) == []


def test_an_organizer_who_only_asked_to_join_does_not_count_as_a_successor():
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=ORGANIZER).user
    MembershipFactory(group=group, role=ORGANIZER, status=Membership.Status.PENDING)
    MembershipFactory(group=group)
    [reason] = personal_data.check(organizer)
    assert close_url(group) in reason
    assert members_url(group) in reason


def test_members_and_hosts_are_never_held_back():
    group = GroupFactory()
    MembershipFactory(group=group, role=ORGANIZER)
    for role in (Membership.Role.HOST, Membership.Role.MEMBER):
        assert personal_data.check(MembershipFactory(group=group, role=role).user) == []


def test_each_group_gets_its_own_reason_in_name_order():
    person = UserFactory()
    alone = GroupFactory(name="B alone")
    crowded = GroupFactory(name="A crowded")
    shared = GroupFactory(name="C shared")
    for group in (alone, crowded, shared):
        MembershipFactory(group=group, user=person, role=ORGANIZER)
    MembershipFactory(group=crowded)
    MembershipFactory(group=shared, role=ORGANIZER)
    reasons = personal_data.check(person)
    assert len(reasons) == 2
    assert "A crowded" in reasons[0]
    assert members_url(crowded) in reasons[0]
    assert "B alone" in reasons[1]
    assert members_url(alone) not in reasons[1]


def test_the_check_runs_one_query_however_many_groups(django_assert_num_queries):
    person = UserFactory()
    for n in range(5):
        group = GroupFactory()
        MembershipFactory(group=group, user=person, role=ORGANIZER)
        if n % 2:
            MembershipFactory(group=group)
    with django_assert_num_queries(1):
        assert len(personal_data.check(person)) == 5


def test_group_names_are_escaped_in_the_message():
    group = GroupFactory(name="<script>alert(1)</script>")
    organizer = MembershipFactory(group=group, role=ORGANIZER).user
    [reason] = personal_data.check(organizer)
    assert "<script>" not in reason
    assert "&lt;script&gt;" in reason


def test_deletion_is_blocked_until_the_group_is_closed():
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=ORGANIZER).user
    with pytest.raises(ServiceError):
        user_delete(user=organizer)
    organizer.refresh_from_db()
    assert organizer.deleted_at is None
    services.group_delete(group=group, actor=organizer)
    assert user_deletion_blockers(user=organizer) == []
    user_delete(user=organizer)
    organizer.refresh_from_db()
    assert organizer.deleted_at is not None
    assert not Group.objects.filter(pk=group.pk).exists()


def test_account_deletion_page_links_to_closing_the_group(client):
    group = GroupFactory(name="Quiet walkers")
    organizer = MembershipFactory(group=group, role=ORGANIZER).user
    client.force_login(organizer)
    page = client.get(reverse("accounts:delete")).content.decode()
    assert f'<a href="{close_url(group)}">Close the group</a>' in page
    assert "Delete my account" not in page
