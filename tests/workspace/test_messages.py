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


def test_message_to_chosen_members_goes_to_them_only(organizer, group, host, member):
    other = UserFactory()
    MembershipFactory(group=group, user=other)
    outsider = UserFactory()
    sent = group_message_send(
        group=group,
        actor=organizer,
        subject="Rota",
        body="You two are on tea.",
        user_ids=[member.pk, other.pk, outsider.pk],
    )
    assert recipients("groups.message") == {member.pk, other.pk}
    assert sent == 4
    row = Activity.objects.get(verb="group.messaged")
    assert row.data == {"subject": "Rota", "notices": 4, "chosen": 3}


def test_message_to_no_chosen_member_is_refused(organizer, group, member):
    with pytest.raises(ServiceError):
        group_message_send(group=group, actor=organizer, subject="Hi", body="x", user_ids=[])
    assert not Notification.objects.filter(kind="groups.message").exists()


def test_members_page_chooses_people_to_message(client, organizer, group, host, member):
    client.force_login(organizer)
    page = client.get(reverse("workspace:members", args=[group.slug])).content.decode()
    assert f'name="to" value="{member.pk}"' in page
    url = reverse("workspace:group_message", args=[group.slug])
    chosen = client.get(url, {"chosen": "1", "to": [member.pk, "junk"]})
    assert chosen.status_code == 200
    text = chosen.content.decode()
    assert "Mo Member" in text
    assert "Hana Host" not in text
    response = client.post(
        url, {"chosen": "1", "to": [member.pk], "subject": "Tea", "body": "Your turn"}
    )
    assert response.status_code == 302
    assert recipients("groups.message") == {member.pk}
    none_chosen = client.post(url, {"chosen": "1", "subject": "Tea", "body": "Your turn"})
    assert none_chosen.status_code == 400
    assert recipients("groups.message") == {member.pk}


def test_chosen_ids_of_another_group_are_dropped(client, organizer, group, member):
    from tests.factories import GroupFactory

    other_group = GroupFactory(name="Bravo circle")
    stranger = UserFactory(display_name="Bravo Person")
    MembershipFactory(group=other_group, user=stranger)
    client.force_login(organizer)
    url = reverse("workspace:group_message", args=[group.slug])
    page = client.get(url, {"chosen": "1", "to": [stranger.pk]}).content.decode()
    assert "Bravo Person" not in page
    client.post(url, {"chosen": "1", "to": [stranger.pk], "subject": "x", "body": "y"})
    assert recipients("groups.message") == set()


def test_chosen_message_page_queries_do_not_grow_with_the_chosen(client, organizer, group):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(organizer)
    url = reverse("workspace:group_message", args=[group.slug])
    people = []
    counts = []
    for n in (1, 10, 40):
        while len(people) < n:
            person = UserFactory()
            MembershipFactory(group=group, user=person)
            people.append(person.pk)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"chosen": "1", "to": people}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_a_huge_chosen_id_is_nobody_not_a_server_error(client, organizer, group, member):
    client.force_login(organizer)
    url = reverse("workspace:group_message", args=[group.slug])
    page = client.get(url, {"chosen": "1", "to": [member.pk, str(2**70)]})
    assert page.status_code == 200
    assert "Mo Member" in page.content.decode()
