""" "Contact the organizers": who may write, that it reaches the organizers through their
notices with no address either way, rate-limited and in the activity log."""

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from accounts.services import block_create
from core.exceptions import NotAllowed, ServiceError
from core.models import Activity
from groups.models import Group, Membership
from groups.permissions import can_contact_organizers
from groups.services import group_contact_organizers
from notifications.models import Notification
from notifications.tasks import notifications_dispatch_due_task
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = "groups.organizers_contacted"


@pytest.fixture
def organizer():
    return UserFactory(display_name="Olu Organizer", email="olu@example.org")


@pytest.fixture
def group(organizer):
    return GroupFactory(organizer=organizer, name="Garden club")


def told():
    return set(Notification.objects.filter(kind=KIND).values_list("recipient_id", flat=True))


@pytest.mark.parametrize(
    ("visibility", "status", "allowed"),
    [
        (Group.Visibility.PUBLIC, None, True),
        (Group.Visibility.PUBLIC, Membership.Status.BANNED, False),
        (Group.Visibility.PUBLIC, Membership.Status.ACTIVE, True),
        (Group.Visibility.UNLISTED, None, False),
        (Group.Visibility.PRIVATE, None, False),
        (Group.Visibility.PRIVATE, Membership.Status.PENDING, False),
        (Group.Visibility.PRIVATE, Membership.Status.ACTIVE, True),
    ],
)
def test_who_may_contact_the_organizers(visibility, status, allowed):
    group = GroupFactory(visibility=visibility)
    person = UserFactory()
    if status is not None:
        MembershipFactory(group=group, user=person, status=status)
    assert can_contact_organizers(person, group) is allowed
    if not allowed:
        with pytest.raises(NotAllowed):
            group_contact_organizers(group=group, actor=person, subject="Hi", body="Hello")


def test_message_reaches_organizers_only_and_is_logged(group, organizer):
    second = UserFactory()
    MembershipFactory(group=group, user=second, role=Membership.Role.ORGANIZER)
    MembershipFactory(group=group, user=UserFactory(), role=Membership.Role.HOST)
    sender = UserFactory(display_name="Sam Sender", email="sam@example.org")
    sent = group_contact_organizers(
        group=group, actor=sender, subject="Parking?", body="Where do I park?"
    )
    assert told() == {organizer.pk, second.pk}
    assert sent == 4
    row = Activity.objects.get(verb="group.organizers_contacted")
    assert row.actor_user == sender
    assert row.data == {"subject": "Parking?", "notices": 4}


def test_the_email_shows_no_address_either_way(
    group, organizer, django_capture_on_commit_callbacks
):
    sender = UserFactory(display_name="Sam Sender", email="sam@example.org")
    group_contact_organizers(group=group, actor=sender, subject="Parking?", body="Where?")
    with django_capture_on_commit_callbacks(execute=True):
        notifications_dispatch_due_task()
    (email,) = mail.outbox
    assert email.to == ["olu@example.org"]
    assert "Sam Sender" in email.body
    assert "Where?" in email.body
    assert "sam@example.org" not in str(email.message())
    assert not email.reply_to


def test_an_organizer_blocked_either_way_is_not_told(group, organizer):
    second = UserFactory()
    MembershipFactory(group=group, user=second, role=Membership.Role.ORGANIZER)
    sender = UserFactory()
    block_create(actor=second, blocked=sender)
    group_contact_organizers(group=group, actor=sender, subject="Hi", body="Hello")
    assert told() == {organizer.pk}


def test_message_needs_a_subject_and_a_body(group):
    with pytest.raises(ServiceError):
        group_contact_organizers(group=group, actor=UserFactory(), subject="", body="x")
    assert not Activity.objects.filter(verb="group.organizers_contacted").exists()


def test_contact_page_anonymous_forbidden_allowed(client, group, organizer):
    url = reverse("groups:contact", args=[group.slug])
    assert client.get(url).status_code == 302
    private = GroupFactory(visibility=Group.Visibility.PRIVATE, listed_when_private=True)
    client.force_login(UserFactory())
    assert client.get(reverse("groups:contact", args=[private.slug])).status_code == 404
    assert "Contact the organizers" not in client.get(private.get_absolute_url()).content.decode()
    assert "Contact the organizers" in client.get(group.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"subject": "Hi", "body": "Hello"})
    assert response.status_code == 302
    assert told() == {organizer.pk}
    assert client.post(url, {"subject": "", "body": ""}).status_code == 400


@override_settings(RATE_LIMITS={"organizer_contact": (2, 3600)})
def test_contact_is_rate_limited(client, group):
    client.force_login(UserFactory())
    url = reverse("groups:contact", args=[group.slug])
    for _i in range(2):
        assert client.post(url, {"subject": "Hi", "body": "Hello"}).status_code == 302
    assert client.post(url, {"subject": "Hi", "body": "Hello"}).status_code == 429
    assert Activity.objects.filter(verb="group.organizers_contacted").count() == 2
