"""Reach your people: messages to all members or to one event's people, through the outbox,
rate-limited, kept in the activity log, with no organizer address to reply to."""

import pytest
from django.core import mail
from django.urls import reverse

from core.exceptions import NotAllowed, ServiceError
from core.models import Activity
from events.models import Rsvp
from events.services import event_message_send
from groups.models import Membership
from groups.services import group_message_send
from notifications.models import Notification
from notifications.tasks import notifications_dispatch_due_task
from tests.factories import MembershipFactory, UserFactory
from tests.workspace.conftest import going

pytestmark = pytest.mark.django_db


def recipients(kind):
    return set(
        Notification.objects.filter(kind=kind, channel="email").values_list(
            "recipient_id", flat=True
        )
    )


def test_group_message_goes_to_active_members_but_the_sender(organizer, group, host, member):
    MembershipFactory(group=group, status=Membership.Status.PENDING, joined_at=None)
    MembershipFactory(group=group, status=Membership.Status.BANNED, joined_at=None)
    sent = group_message_send(
        group=group, actor=organizer, subject="Summer picnic", body="Bring a dish."
    )
    assert recipients("groups.message") == {host.pk, member.pk}
    assert sent == 4  # two people, email and inbox each
    row = Activity.objects.get(verb="group.messaged")
    assert row.data == {"subject": "Summer picnic", "notices": 4}
    assert row.actor_user == organizer


def test_only_organizers_message_the_group(group, host, member):
    for who in (host, member):
        with pytest.raises(NotAllowed):
            group_message_send(group=group, actor=who, subject="Hi", body="Hello")
    assert not Notification.objects.filter(kind="groups.message").exists()


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [("", "Body", "subject"), ("Hi", "", "body"), ("Two\nlines", "Body", "subject")],
)
def test_message_needs_a_one_line_subject_and_a_body(organizer, group, subject, body, field):
    with pytest.raises(ServiceError) as caught:
        group_message_send(group=group, actor=organizer, subject=subject, body=body)
    assert field in caught.value.field_errors()
    assert not Activity.objects.filter(verb="group.messaged").exists()


def test_event_message_goes_to_people_going_and_waiting(host, group, today, member):
    first = going(today, name="Gem")
    waiting = going(today, name="Wanda", status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    event_message_send(event=today, actor=host, subject="Room changed to 2B", body="Upstairs.")
    assert recipients("events.message") == {first.user_id, waiting.user_id}
    assert Activity.objects.get(verb="event.messaged").data["subject"] == "Room changed to 2B"
    with pytest.raises(NotAllowed):
        event_message_send(event=today, actor=member, subject="x", body="y")


def test_message_email_has_no_organizer_address(
    client, organizer, group, member, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    response = client.post(
        reverse("workspace:group_message", args=[group.slug]),
        {"subject": "Summer picnic", "body": "Bring a dish."},
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        notifications_dispatch_due_task()
    (email,) = [m for m in mail.outbox if member.email in m.to]
    assert email.subject == "Recovery circle: Summer picnic"
    assert "Bring a dish." in email.body
    assert organizer.email not in str(email.message())
    assert not email.reply_to


def test_event_message_form_and_errors(client, host, group, today):
    going(today)
    client.force_login(host)
    url = reverse("workspace:event_message", args=[group.slug, today.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"subject": "", "body": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(url, {"subject": "Room 2B", "body": "Upstairs"})
    assert response.status_code == 302


def test_messages_are_rate_limited(client, settings, organizer, group, member):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "organizer_message": (2, 3600)}
    client.force_login(organizer)
    url = reverse("workspace:group_message", args=[group.slug])
    for _i in range(2):
        assert client.post(url, {"subject": "Hi", "body": "Hello"}).status_code == 302
    response = client.post(url, {"subject": "Hi", "body": "Hello"})
    assert response.status_code == 429
    assert Activity.objects.filter(verb="group.messaged").count() == 2


def test_a_member_banned_later_does_not_get_the_message(
    organizer, group, member, django_capture_on_commit_callbacks
):
    from groups.services import membership_ban

    group_message_send(group=group, actor=organizer, subject="Hi", body="Hello")
    membership_ban(membership=group.memberships.get(user=member), actor=organizer)
    with django_capture_on_commit_callbacks(execute=True):
        notifications_dispatch_due_task()
    assert not [m for m in mail.outbox if member.email in m.to]


def test_outsider_cannot_open_message_pages(client, group, today):
    client.force_login(UserFactory())
    assert client.get(reverse("workspace:group_message", args=[group.slug])).status_code == 404
    url = reverse("workspace:event_message", args=[group.slug, today.slug])
    assert client.post(url, {"subject": "x", "body": "y"}).status_code == 404
