"""A group that closes cancels its coming events; the notices outlive the deleted rows."""

import html
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse

from events import notifications as event_notices
from events.models import Event
from events.services import rsvp_create, rsvp_decline
from groups.models import Group, Membership
from groups.services import group_delete
from notifications.models import Channel, Notification
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

Status = Notification.Status


@pytest.fixture
def closing(group, event):
    """A group about to close: two people going, one waiting, one who said no."""
    event.capacity = 2
    event.save()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    going = [MembershipFactory(group=group).user for _ in range(2)]
    waiting, declined = MembershipFactory(group=group).user, MembershipFactory(group=group).user
    for user in going:
        rsvp_create(event=event, user=user)
    rsvp_create(event=event, user=waiting)
    rsvp_decline(event=event, user=declined)
    mail.outbox.clear()
    return {"organizer": organizer, "going": going, "waiting": waiting, "declined": declined}


def cancellations_to(user):
    return [m for m in mail.outbox if m.to == [user.email] and m.subject.startswith("Cancelled")]


def test_closing_a_group_tells_everyone_going_after_the_rows_are_gone(
    client, group, event, closing, dispatch
):
    title, group_name, slug = event.title, group.name, event.slug
    local = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.timezone))
    group_delete(group=group, actor=closing["organizer"])
    assert not Event.objects.filter(pk=event.pk).exists()

    dispatch()

    for user in closing["going"]:
        (message,) = cancellations_to(user)
        assert title in message.subject
        html_body = message.alternatives[0][0]
        for body in (message.body, html.unescape(html_body)):
            assert title in body
            assert f"{local:%H:%M} (Europe/London)" in body
            assert group_name in body
            assert f"{group_name} has closed, so this event will not take place." in body
            assert event.address in body  # they were going: they knew where
            assert f"/events/{slug}/" not in body  # the page is gone: no link to it
    assert mail.outbox  # sanity: the loop above ran over messages
    assert not [m for m in mail.outbox if m.to == [closing["declined"].email]]
    assert not Notification.objects.filter(recipient=closing["declined"]).exists()
    cancelled = Notification.objects.filter(kind=event_notices.CANCELLED)
    assert set(cancelled.values_list("status", flat=True)) == {Status.SENT}

    client.force_login(closing["going"][0])
    page = html.unescape(client.get(reverse("notifications:inbox")).content.decode())
    assert f"Cancelled: {title}" in page
    assert f"/events/{slug}/" not in page


def test_people_waiting_are_told_without_the_private_address(group, event, closing, dispatch):
    group_delete(group=group, actor=closing["organizer"])
    dispatch()
    (message,) = cancellations_to(closing["waiting"])
    assert event.venue_name in message.body  # the public place
    assert event.address not in message.body
    assert event.address not in message.alternatives[0][0]
    stored = Notification.objects.filter(recipient=closing["waiting"], channel=Channel.EMAIL)
    assert event.address not in str(stored.get().context)


def test_a_private_group_closing_tells_its_members_too(group, event, closing, dispatch):
    Group.objects.filter(pk=group.pk).update(visibility=Group.Visibility.PRIVATE)
    group.refresh_from_db()
    group_delete(group=group, actor=closing["organizer"])
    dispatch()
    for user in [*closing["going"], closing["waiting"]]:
        assert len(cancellations_to(user)) == 1
