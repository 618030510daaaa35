"""The members part of the workspace: bulk decisions on requests, roles, removal and bans with
a confirmation and a reason, lifting bans; organizers only."""

import pytest
from django.urls import reverse

from core.models import Activity
from groups.models import Group, Membership
from notifications.models import Notification
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def pending(group, name):
    return MembershipFactory(
        group=group,
        user=UserFactory(display_name=name),
        status=Membership.Status.PENDING,
        joined_at=None,
    )


def test_bulk_approve(client, organizer, group):
    first, second, third = (pending(group, n) for n in ("Ann", "Ben", "Cy"))
    client.force_login(organizer)
    assert "Ann" in client.get(reverse("workspace:members", args=[group.slug])).content.decode()
    response = client.post(
        reverse("workspace:requests_decide", args=[group.slug]),
        {"people": [first.user_id, second.user_id], "decision": "approve"},
        follow=True,
    )
    assert "2 approved; they are told." in response.content.decode()
    statuses = dict(Membership.objects.filter(group=group).values_list("user_id", "status"))
    assert statuses[first.user_id] == statuses[second.user_id] == Membership.Status.ACTIVE
    assert statuses[third.user_id] == Membership.Status.PENDING


def test_bulk_decline_with_a_note_tells_each(client, organizer, group):
    first, second = pending(group, "Ann"), pending(group, "Ben")
    client.force_login(organizer)
    client.post(
        reverse("workspace:requests_decide", args=[group.slug]),
        {"people": [first.user_id, second.user_id], "decision": "decline", "note": "Full now"},
    )
    assert not Membership.objects.filter(pk__in=[first.pk, second.pk]).exists()
    notes = Notification.objects.filter(kind="groups.join_declined")
    assert {n.recipient_id for n in notes} == {first.user_id, second.user_id}
    assert {n.context["note"] for n in notes} == {"Full now"}


def test_a_request_of_another_group_cannot_be_decided_here(client, organizer, group):
    from tests.factories import GroupFactory

    elsewhere = pending(GroupFactory(), "Zed")
    client.force_login(organizer)
    client.post(
        reverse("workspace:requests_decide", args=[group.slug]),
        {"people": [elsewhere.user_id], "decision": "approve"},
    )
    elsewhere.refresh_from_db()
    assert elsewhere.status == Membership.Status.PENDING


def test_role_page_describes_roles_and_promotes(client, organizer, group, member):
    client.force_login(organizer)
    url = reverse("workspace:member_role", args=[group.slug, member.pk])
    text = client.get(url).content.decode()
    assert "Runs events" in text
    assert "Runs the group" in text
    client.post(url, {"role": "host"})
    assert Membership.objects.get(group=group, user=member).role == Membership.Role.HOST
    assert Notification.objects.filter(recipient=member, kind="groups.role_changed").exists()


def test_remove_asks_first_then_tells_with_the_reason(client, organizer, group, member):
    client.force_login(organizer)
    url = reverse("workspace:member_remove", args=[group.slug, member.pk])
    page = client.get(url)
    assert "Remove Mo Member?" in page.content.decode()
    assert Membership.objects.filter(group=group, user=member).exists()
    client.post(url, {"reason": "Moved away"})
    assert not Membership.objects.filter(group=group, user=member).exists()
    note = Notification.objects.get(recipient=member, kind="groups.member_removed", channel="email")
    assert note.context["note"] == "Moved away"


def test_ban_with_a_reason_is_not_told_and_can_be_lifted(client, organizer, group, member):
    client.force_login(organizer)
    client.post(reverse("workspace:member_ban", args=[group.slug, member.pk]), {"reason": "Rude"})
    assert Membership.objects.get(group=group, user=member).status == Membership.Status.BANNED
    assert not Notification.objects.filter(recipient=member).exists()
    assert Activity.objects.get(verb="membership.banned").data["reason"] == "Rude"
    page = client.get(reverse("workspace:members", args=[group.slug])).content.decode()
    assert "Lift the ban on Mo Member" in page
    client.post(reverse("workspace:member_unban", args=[group.slug, member.pk]))
    assert not Membership.objects.filter(group=group, user=member).exists()


def test_last_organizer_cannot_step_down_and_sees_why(client, organizer, group):
    client.force_login(organizer)
    response = client.post(
        reverse("workspace:member_role", args=[group.slug, organizer.pk]), {"role": "member"}
    )
    assert response.status_code == 200
    assert "A group needs at least one organizer" in response.content.decode()
    assert Membership.objects.get(group=group, user=organizer).role == Membership.Role.ORGANIZER


def test_banned_organizer_no_longer_opens_the_workspace(client, organizer, group):
    other = UserFactory()
    MembershipFactory(group=group, user=other, role=Membership.Role.ORGANIZER)
    client.force_login(other)
    client.post(reverse("workspace:member_ban", args=[group.slug, organizer.pk]), {"reason": ""})
    assert Membership.objects.get(group=group, user=organizer).status == Membership.Status.BANNED
    client.force_login(organizer)
    assert client.get(reverse("workspace:dashboard", args=[group.slug])).status_code == 404


def test_members_part_is_404_to_members(client, group, member, host):
    client.force_login(member)
    for name in ("member_role", "member_remove", "member_ban"):
        url = reverse(f"workspace:{name}", args=[group.slug, host.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "role": "organizer"}).status_code == 404
    assert client.get(reverse("workspace:members", args=[group.slug])).status_code == 404
    assert Membership.objects.get(group=group, user=host).status == Membership.Status.ACTIVE


def test_hosts_neither_change_roles_nor_ban(client, group, member, host):
    client.force_login(host)
    for name in ("member_role", "member_ban"):
        url = reverse(f"workspace:{name}", args=[group.slug, member.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "role": "organizer"}).status_code == 404
    membership = Membership.objects.get(group=group, user=member)
    assert membership.status == Membership.Status.ACTIVE
    assert membership.role == Membership.Role.MEMBER


def test_host_removes_a_plain_member_behind_the_confirmation_page(client, group, member, host):
    client.force_login(host)
    page = client.get(reverse("workspace:members", args=[group.slug])).content.decode()
    url = reverse("workspace:member_remove", args=[group.slug, member.pk])
    assert url in page
    assert reverse("workspace:member_ban", args=[group.slug, member.pk]) not in page
    assert reverse("workspace:members_csv", args=[group.slug]) not in page
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Kept shouting"})
    assert response.status_code == 302
    assert not Membership.objects.filter(group=group, user=member).exists()
    row = Activity.objects.get(verb="membership.removed")
    assert row.actor_user == host


def test_host_cannot_remove_organizers_or_hosts(client, group, organizer, host):
    other_host = UserFactory()
    MembershipFactory(group=group, user=other_host, role=Membership.Role.HOST)
    client.force_login(host)
    page = client.get(reverse("workspace:members", args=[group.slug])).content.decode()
    for target in (organizer, other_host):
        url = reverse("workspace:member_remove", args=[group.slug, target.pk])
        assert url not in page
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404
        assert Membership.objects.get(group=group, user=target).is_active


def test_host_who_may_not_see_the_member_list_gets_404(client, group, member, host):
    group.member_list_visibility = Group.MemberListVisibility.ORGANIZERS
    group.save()
    client.force_login(host)
    assert client.get(reverse("workspace:members", args=[group.slug])).status_code == 404
    url = reverse("workspace:member_remove", args=[group.slug, member.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert Membership.objects.get(group=group, user=member).is_active


def test_host_sees_the_members_section_only_when_they_may_see_the_list(client, host, group):
    client.force_login(host)
    text = client.get(reverse("workspace:dashboard", args=[group.slug])).content.decode()
    assert reverse("workspace:members", args=[group.slug]) in text
    group.member_list_visibility = Group.MemberListVisibility.ORGANIZERS
    group.save()
    text = client.get(reverse("workspace:dashboard", args=[group.slug])).content.decode()
    assert reverse("workspace:members", args=[group.slug]) not in text


def test_a_member_who_blocked_a_host_is_not_on_the_hosts_list(client, group, member, host):
    from accounts.services import block_create

    block_create(actor=member, blocked=host)
    client.force_login(host)
    page = client.get(reverse("workspace:members", args=[group.slug])).content.decode()
    assert member.public_name not in page
    assert reverse("workspace:member_remove", args=[group.slug, member.pk]) not in page


@pytest.mark.parametrize("n", [1, 10, 100])
def test_members_page_queries_do_not_grow(client, django_assert_num_queries, organizer, group, n):
    for i in range(n):
        MembershipFactory(group=group)
        pending(group, f"Asker {i}")
        MembershipFactory(group=group, status=Membership.Status.BANNED)
    client.force_login(organizer)
    # user, group with the organizer's membership, requests and bans (one UNION ALL), a page
    # of members (one row more: no count), the header's counts
    with django_assert_num_queries(5):
        response = client.get(reverse("workspace:members", args=[group.slug]))
    assert len(response.context["requests"]) == n
    assert len(response.context["banned"]) == n
    assert len(response.context["page"].object_list) == min(n + 1, 20)


def test_requests_come_oldest_first_and_bans_latest_first(client, organizer, group):
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    asked = [pending(group, name) for name in ("Ann", "Ben", "Cy")]
    for days, membership in zip((1, 3, 2), asked, strict=True):
        Membership.objects.filter(pk=membership.pk).update(created_at=now - dt.timedelta(days=days))
    bans = [MembershipFactory(group=group, status=Membership.Status.BANNED) for _ in range(3)]
    for days, membership in zip((2, 1, 3), bans, strict=True):
        Membership.objects.filter(pk=membership.pk).update(updated_at=now - dt.timedelta(days=days))
    client.force_login(organizer)
    response = client.get(reverse("workspace:members", args=[group.slug]))
    assert [m.user.display_name for m in response.context["requests"]] == ["Ben", "Cy", "Ann"]
    assert [m.pk for m in response.context["banned"]] == [bans[1].pk, bans[0].pk, bans[2].pk]


def test_members_past_the_last_page_is_404(client, organizer, group):
    client.force_login(organizer)
    url = reverse("workspace:members", args=[group.slug])
    assert client.get(url, {"page": 1}).status_code == 200
    assert client.get(url, {"page": 2}).status_code == 404
    assert client.get(url, {"page": "x"}).status_code == 404
