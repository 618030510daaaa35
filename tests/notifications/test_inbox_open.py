"""Opening a notice marks it read; unread ones stand out; settings sit in the profile's menu."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from events import notifications as event_notices
from groups import notifications as group_notices
from groups.models import Group
from notifications.models import Channel, Notification
from tests.factories import GroupFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db


def inbox_item(user, subject, *, kind=event_notices.CONFIRMED, context=None, read=False):
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        channel=Channel.INBOX,
        subject=subject,
        send_at=timezone.now(),
        sent_at=timezone.now(),
        status=Notification.Status.SENT,
        read_at=timezone.now() if read else None,
        context=context or {},
        dedupe_key=f"open:{user.pk}:{subject}:{kind}:{read}",
    )


@pytest.fixture
def going(event, member):
    RsvpFactory(event=event, user=member)
    return member


def test_opening_a_notice_marks_it_read_and_goes_to_the_event(client, event, going):
    item = inbox_item(going, f"events.event:{event.pk}")
    client.force_login(going)
    response = client.get(reverse("notifications:open", args=[item.pk]))
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    item.refresh_from_db()
    assert item.read_at is not None


def test_a_notice_that_points_nowhere_opens_on_its_own_page(client):
    # Removed from a private group: the notice cannot link to it any more.
    group = GroupFactory(name="Evening circle", visibility=Group.Visibility.PRIVATE)
    removed = UserFactory()
    item = inbox_item(
        removed,
        f"groups.group:{group.pk}",
        kind=group_notices.MEMBER_REMOVED,
        context={"group_name": group.name, "note": "Take care."},
    )
    client.force_login(removed)
    response = client.get(reverse("notifications:open", args=[item.pk]))
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Evening circle" in page
    assert group.slug not in page
    item.refresh_from_db()
    assert item.read_at is not None


def test_someone_elses_notice_is_404_and_stays_unread(client, event, going):
    item = inbox_item(going, f"events.event:{event.pk}")
    client.force_login(UserFactory())
    assert client.get(reverse("notifications:open", args=[item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.read_at is None


def test_opening_needs_an_account(client, event, going):
    item = inbox_item(going, f"events.event:{event.pk}")
    response = client.get(reverse("notifications:open", args=[item.pk]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_unread_notices_stand_out_in_words_not_only_colour(client, event, going):
    inbox_item(going, f"events.event:{event.pk}")
    inbox_item(going, f"events.event:{event.pk}", kind=event_notices.REMINDER, read=True)
    client.force_login(going)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert page.count('class="card card-unread"') == 1
    assert page.count(">New</span>") == 1
    assert reverse("notifications:open", args=[1]).rsplit("1/", 1)[0] in page


def test_notification_settings_sit_in_the_profile_menu(client):
    user = UserFactory()
    client.force_login(user)
    for address in [reverse("accounts:profile"), reverse("notifications:preferences")]:
        page = client.get(address).content.decode()
        assert f'href="{reverse("notifications:preferences")}"' in page
        assert 'aria-label="Account settings"' in page
