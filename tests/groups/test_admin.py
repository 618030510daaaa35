import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from core import bus as core_events
from core.actors import Actor
from core.models import Activity
from core.moderation import moderation_session_start
from groups.models import Group, Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(client, superuser):
    """A site moderator in the admin, inside a moderation session."""
    moderation_session_start(actor=superuser, reason="Checking a report")
    client.force_login(superuser)
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
        core_events._subscribers,
        "group.deleting",
        [lambda *, topic, group, actor: seen.append(group.pk) if actor.is_system else None],
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


def test_outside_a_session_the_admin_hides_private_groups_and_their_memberships(client, superuser):
    private = MembershipFactory(
        group=GroupFactory(visibility=Group.Visibility.PRIVATE), role=Membership.Role.ORGANIZER
    )
    public = MembershipFactory(role=Membership.Role.ORGANIZER)
    client.force_login(superuser)
    groups = client.get(reverse("admin:groups_group_changelist"))
    assert public.group.name in groups.text
    assert private.group.name not in groups.text
    memberships = client.get(reverse("admin:groups_membership_changelist"))
    assert list(memberships.context["cl"].result_list) == [public]
    change = client.get(reverse("admin:groups_group_change", args=[private.group.pk]))
    assert change.status_code == 302  # "does not exist", back to the list
    # Without a session a moderator does not act as the group's organizer either.
    delete = reverse("admin:groups_group_delete", args=[public.group.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Group.objects.filter(pk=public.group.pk).exists()


def test_in_a_session_a_private_group_opened_in_the_admin_is_logged(staff_client, superuser):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    MembershipFactory(group=group, role=Membership.Role.ORGANIZER)
    assert group.name in staff_client.get(reverse("admin:groups_group_changelist")).text
    response = staff_client.get(reverse("admin:groups_group_change", args=[group.pk]))
    assert response.status_code == 200
    viewed = Activity.objects.get(verb="moderation.viewed", group_id=group.pk)
    assert viewed.actor_user == superuser


def test_editing_a_group_in_the_admin_goes_through_the_service(staff_client, superuser):
    group = GroupFactory(name="Choir", city="Leeds")
    MembershipFactory(group=group, role=Membership.Role.ORGANIZER)
    change = reverse("admin:groups_group_change", args=[group.pk])
    form = staff_client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"city": "York", "memberships-TOTAL_FORMS": "0"})
    data.update({"memberships-INITIAL_FORMS": "0", "memberships-MAX_NUM_FORMS": "0"})
    response = staff_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    group.refresh_from_db()
    assert group.city == "York"
    updated = Activity.objects.get(verb="group.updated", group_id=group.pk)
    assert (updated.actor_user, updated.data) == (superuser, {"city": ["Leeds", "York"]})


def test_closing_a_group_in_the_admin_cancels_its_events_as_the_system(staff_client, superuser):
    group = GroupFactory()
    MembershipFactory(group=group, role=Membership.Role.ORGANIZER)
    delete = reverse("admin:groups_group_delete", args=[group.pk])
    staff_client.post(delete, {"post": "yes"})
    closed = Activity.objects.get(verb="group.closed", group_id=group.pk)
    assert (closed.actor_kind, closed.actor_user) == (Actor.PERSON, superuser)


def test_membership_actions_in_the_admin_go_through_the_services(staff_client, superuser):
    group = GroupFactory()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER)
    troll = MembershipFactory(group=group)
    changelist = reverse("admin:groups_membership_changelist")
    response = staff_client.post(
        changelist,
        {"action": "membership_ban", "_selected_action": [troll.pk, organizer.pk]},
        follow=True,
    )
    assert response.status_code == 200
    troll.refresh_from_db()
    assert troll.status == Membership.Status.BANNED
    # The last organizer stays: the service's rule, reported as a message.
    organizer.refresh_from_db()
    assert organizer.status == Membership.Status.ACTIVE
    assert "A group needs at least one organizer" in response.text
    banned = Activity.objects.get(verb="membership.banned")
    assert (banned.actor_user, banned.data["user"]) == (superuser, troll.user_id)
