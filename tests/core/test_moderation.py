"""Moderation sessions: superusers see private groups only inside one, with a reason, for an
hour at most, and every private page they open is written to the activity log."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.exceptions import NotAllowed, ServiceError
from core.models import Activity, ModerationSession
from core.moderation import is_site_moderator, moderation_session_start
from groups.models import Group, Membership
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


@pytest.fixture
def private_group():
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    MembershipFactory(group=group, role=Membership.Role.ORGANIZER)
    MembershipFactory(group=group)
    return group


def _viewed(group):
    return Activity.objects.filter(verb="moderation.viewed", group_id=group.pk)


def test_a_superuser_without_a_session_gets_404_on_a_private_group(
    client, superuser, private_group
):
    client.force_login(superuser)
    assert client.get(private_group.get_absolute_url()).status_code == 404
    members = reverse("groups:members", kwargs={"slug": private_group.slug})
    assert client.get(members).status_code == 404
    assert not _viewed(private_group).exists()


def test_in_a_session_a_superuser_sees_a_private_group_and_it_is_logged(
    client, superuser, private_group
):
    client.force_login(superuser)
    response = client.post(reverse("moderation"), {"reason": "Report #12 about this group"})
    assert response.status_code == 302
    session = ModerationSession.objects.get(moderator=superuser)
    assert session.reason == "Report #12 about this group"

    page = client.get(private_group.get_absolute_url())
    assert page.status_code == 200
    assert "Moderation session until" in page.text  # the banner
    viewed = _viewed(private_group).get()
    assert (viewed.actor_kind, viewed.actor_user) == (Activity.ActorKind.PERSON, superuser)
    assert viewed.data["moderation_session"] == session.pk

    members = reverse("groups:members", kwargs={"slug": private_group.slug})
    assert client.get(members).status_code == 200
    assert _viewed(private_group).filter(data__what="members").exists()


def test_a_moderator_who_is_a_member_is_not_logged_as_a_moderator(client, superuser):
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    MembershipFactory(group=group, user=superuser, role=Membership.Role.ORGANIZER)
    moderation_session_start(actor=superuser, reason="Something else")
    client.force_login(superuser)
    assert client.get(group.get_absolute_url()).status_code == 200
    assert not _viewed(group).exists()


def test_public_groups_opened_in_a_session_are_not_logged(client, superuser):
    group = GroupFactory()
    moderation_session_start(actor=superuser, reason="A report")
    client.force_login(superuser)
    assert client.get(group.get_absolute_url()).status_code == 200
    assert not _viewed(group).exists()


def test_a_session_expires_after_an_hour(client, superuser, private_group):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        moderation_session_start(actor=superuser, reason="A report")
    client.force_login(superuser)
    with time_machine.travel(start + dt.timedelta(minutes=59), tick=False):
        assert client.get(private_group.get_absolute_url()).status_code == 200
    with time_machine.travel(start + dt.timedelta(hours=1), tick=False):
        assert client.get(private_group.get_absolute_url()).status_code == 404
        page = client.get(reverse("groups:list")).text
        assert "Moderation session until" not in page
        assert not is_site_moderator(UserFactory._meta.model.objects.get(pk=superuser.pk))


def test_ending_a_session_closes_private_groups_again(client, superuser, private_group):
    moderation_session_start(actor=superuser, reason="A report")
    client.force_login(superuser)
    assert client.get(private_group.get_absolute_url()).status_code == 200
    assert client.post(reverse("moderation_end")).status_code == 302
    assert client.get(private_group.get_absolute_url()).status_code == 404
    assert Activity.objects.filter(verb="moderation.ended", actor_user=superuser).exists()


@pytest.mark.parametrize("who", ["anonymous", "member", "staff", "inactive_superuser"])
def test_nobody_but_a_superuser_may_start_a_session(client, private_group, who):
    user = {
        "anonymous": None,
        "member": Membership.objects.filter(group=private_group).first().user,
        "staff": UserFactory(is_staff=True),
        "inactive_superuser": UserFactory(is_staff=True, is_superuser=True, is_active=False),
    }[who]
    if user is not None:
        client.force_login(user)
    assert client.get(reverse("moderation")).status_code == 404
    assert client.post(reverse("moderation"), {"reason": "Let me in"}).status_code == 404
    assert client.post(reverse("moderation_end")).status_code == 404
    assert not ModerationSession.objects.exists()
    if user is not None:
        with pytest.raises(NotAllowed):
            moderation_session_start(actor=user, reason="Let me in")


def test_a_session_needs_a_reason(client, superuser):
    with pytest.raises(ServiceError):
        moderation_session_start(actor=superuser, reason="   ")
    client.force_login(superuser)
    response = client.post(reverse("moderation"), {"reason": " "})
    assert response.status_code == 200
    assert not ModerationSession.objects.exists()


def test_the_moderation_pages_answer_only_their_methods(client, superuser):
    client.force_login(superuser)
    assert client.put(reverse("moderation")).status_code == 405
    assert client.get(reverse("moderation_end")).status_code == 405


@pytest.mark.django_db
def test_the_activity_admin_shows_what_changed_only_inside_a_moderation_session(client):
    from django.db import transaction

    from core import activity
    from core.moderation import moderation_session_start

    superuser = UserFactory(is_superuser=True, is_staff=True)
    with transaction.atomic():
        row = activity.record(
            actor=superuser, verb="group.updated", subject="groups.group:1", data={"x": ["a", "b"]}
        )
    client.force_login(superuser)
    url = f"/admin/core/activity/{row.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert "What changed" not in page.content.decode()
    moderation_session_start(actor=superuser, reason="A report about this group")
    assert "What changed" in client.get(url).content.decode()
