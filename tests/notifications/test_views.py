"""Inbox, preferences, one-click unsubscribe and the outbox admin."""

import datetime as dt
import html

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import notifications as event_notices
from groups.models import Group, Membership
from notifications import selectors, services
from notifications.models import (
    Channel,
    Notification,
    NotificationPreference,
    NotificationSettings,
)
from notifications.unsubscribe import unsubscribe_token
from tests.factories import EventFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = Notification.Status


def inbox_item(user, event, *, read=False, kind=event_notices.CONFIRMED, status=Status.SENT):
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        channel=Channel.INBOX,
        subject=f"events.event:{event.pk}",
        send_at=timezone.now(),
        sent_at=timezone.now() if status == Status.SENT else None,
        status=status,
        read_at=timezone.now() if read else None,
        dedupe_key=f"view:{user.pk}:{event.pk}:{kind}:{read}:{status}",
    )


@pytest.fixture
def going(event, member):
    RsvpFactory(event=event, user=member)
    return member


@pytest.mark.parametrize(
    "name", ["notifications:inbox", "notifications:preferences", "notifications:mark_all_read"]
)
def test_anonymous_visitors_are_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_inbox_lists_only_my_delivered_items_with_the_unread_count(client, event, going):
    inbox_item(going, event)
    inbox_item(going, event, read=True, kind=event_notices.REMINDER)
    inbox_item(going, event, kind=event_notices.CHANGED, status=Status.PENDING)
    stranger = UserFactory()
    inbox_item(stranger, EventFactory(title="Somebody else's evening"))
    client.force_login(going)

    page = html.unescape(client.get(reverse("notifications:inbox")).content.decode())

    assert page.count('<li class="card') == 2
    assert f"You're going: {event.title}" in page
    assert "Somebody else" not in page
    assert "1 unread" in page  # the header link
    assert f"Changed: {event.title}" not in page  # not delivered yet


def test_header_shows_the_inbox_link_with_unread_count(client, event, going):
    inbox_item(going, event)
    client.force_login(going)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert f'href="{reverse("notifications:inbox")}"' in page
    assert "1 unread" in page


def test_inbox_hides_what_i_may_no_longer_see(client, group, event, going):
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    inbox_item(going, event)
    Membership.objects.filter(user=going).delete()
    client.force_login(going)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert event.title not in page


def test_mark_read_needs_post_and_touches_only_my_items(client, event, going):
    mine = inbox_item(going, event)
    theirs = inbox_item(UserFactory(), event)
    client.force_login(going)
    assert client.get(reverse("notifications:mark_read", args=[mine.pk])).status_code == 405

    client.post(reverse("notifications:mark_read", args=[mine.pk]))
    client.post(reverse("notifications:mark_read", args=[theirs.pk]))

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_mark_all_read(client, event, going):
    inbox_item(going, event)
    inbox_item(going, event, kind=event_notices.REMINDER)
    client.force_login(going)
    response = client.post(reverse("notifications:mark_all_read"), follow=True)
    assert "All notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(recipient=going, read_at__isnull=True).exists()


def test_preferences_page_saves_channels_offsets_and_digest_day(client, member):
    client.force_login(member)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Event reminders" in page
    assert 'for="id_reminder_offsets_0"' in page

    data = {
        f"{event_notices.REMINDER}__{Channel.EMAIL}": "on",
        f"{event_notices.CREATED}__{Channel.EMAIL}": "on",
        "reminder_offsets": ["60", "2880"],
        "digest_weekday": "4",
    }
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302

    choices = services.notification_preferences_get(user=member)
    assert choices[(event_notices.REMINDER, Channel.EMAIL)] is True
    assert choices[(event_notices.REMINDER, Channel.INBOX)] is False
    assert choices[(event_notices.CREATED, Channel.EMAIL)] is True
    assert choices[(event_notices.CONFIRMED, Channel.EMAIL)] is False
    saved = services.notification_settings_get(user=member)
    assert saved.reminder_offsets == [2880, 60]
    assert saved.digest_weekday == 4


def test_preferences_with_no_reminders_at_all(client, member):
    client.force_login(member)
    client.post(reverse("notifications:preferences"), {"digest_weekday": "0"})
    assert services.notification_settings_get(user=member).reminder_offsets == []


def test_preferences_reject_made_up_values_with_a_form_error(client, member):
    client.force_login(member)
    response = client.post(
        reverse("notifications:preferences"),
        {"reminder_offsets": ["5"], "digest_weekday": "9"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_one_click_unsubscribe_works_without_session_or_csrf_token(event, going):
    pending_email = Notification.objects.create(
        recipient=going,
        kind=event_notices.REMINDER,
        channel=Channel.EMAIL,
        subject=f"events.event:{event.pk}",
        send_at=timezone.now() + dt.timedelta(hours=1),
        dedupe_key="unsubscribe-test",
    )
    url = reverse(
        "notifications:unsubscribe",
        kwargs={"token": unsubscribe_token(user=going, kind=event_notices.REMINDER)},
    )
    mail_client = Client(enforce_csrf_checks=True)

    confirm = mail_client.get(url)
    assert confirm.status_code == 200
    assert "Event reminders" in confirm.content.decode()
    assert services.notification_preferences_get(user=going)[
        (event_notices.REMINDER, Channel.EMAIL)
    ]

    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not services.notification_preferences_get(user=going)[
        (event_notices.REMINDER, Channel.EMAIL)
    ]
    assert services.notification_preferences_get(user=going)[
        (event_notices.REMINDER, Channel.INBOX)
    ]
    pending_email.refresh_from_db()
    assert pending_email.status == Status.CANCELLED


@pytest.mark.parametrize("token", ["nonsense", "WzEsImV2ZW50cy5yZW1pbmRlciJd:forged"])
def test_bad_unsubscribe_token_is_404(client, token):
    assert client.post(reverse("notifications:unsubscribe", args=[token])).status_code == 404


def test_unsubscribe_token_for_an_unknown_kind_is_404(client, member):
    token = unsubscribe_token(user=member, kind="nobody.knows")
    assert client.get(reverse("notifications:unsubscribe", args=[token])).status_code == 404


def test_admin_filters_the_outbox_and_retries_failed_rows(client, event, member):
    failed = Notification.objects.create(
        recipient=member,
        kind=event_notices.REMINDER,
        channel=Channel.EMAIL,
        subject=f"events.event:{event.pk}",
        send_at=timezone.now() - dt.timedelta(days=1),
        status=Status.FAILED,
        attempts=5,
        last_error="550 mailbox unavailable",
        dedupe_key="admin-test",
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    changelist = reverse("admin:notifications_notification_changelist")
    page = client.get(changelist, {"status__exact": "failed", "kind": event_notices.REMINDER})
    assert page.status_code == 200
    assert "events.reminder" in page.content.decode()
    assert (
        client.get(reverse("admin:notifications_notification_change", args=[failed.pk])).status_code
        == 200
    )

    client.post(changelist, {"action": "retry_failed", "_selected_action": [failed.pk]})

    failed.refresh_from_db()
    assert failed.status == Status.PENDING
    assert failed.attempts == 0
    assert failed.last_error == "550 mailbox unavailable"  # kept for the record


@pytest.mark.parametrize("who", ["member", "staff"])
def test_outbox_admin_is_for_site_moderators_only(client, member, who):
    """Plain staff, even with the model's view permission, are sent to the admin login."""
    from django.contrib.auth.models import Permission

    if who == "staff":
        member.is_staff = True
        member.save(update_fields=["is_staff"])
        member.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(member)
    response = client.get(reverse("admin:notifications_notification_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_private_group_inbox_item_from_before_joining_stays_hidden_from_outsiders(
    client, group, event
):
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    outsider = UserFactory()
    inbox_item(outsider, event, kind=event_notices.CREATED)
    client.force_login(outsider)
    assert event.title not in client.get(reverse("notifications:inbox")).content.decode()
    MembershipFactory(group=group, user=outsider)
    assert event.title in client.get(reverse("notifications:inbox")).content.decode()


def test_inbox_times_are_in_the_members_own_zone_and_name_it(client, event, going):
    going.timezone = "America/New_York"
    going.save(update_fields=["timezone"])
    row = inbox_item(going, event)
    sent = dt.datetime(2026, 7, 1, 16, 30, tzinfo=dt.UTC)
    Notification.objects.filter(pk=row.pk).update(sent_at=sent)
    client.force_login(going)

    page = client.get(reverse("notifications:inbox")).content.decode()

    assert "1 July 2026, 12:30 (America/New_York)" in page


def test_inbox_pages_and_counts_only_what_it_shows(client, group, event, going):
    """A member banned from a private group: its notices are hidden, and neither the pages nor
    the unread count nor mark-all-read see them (page 1 was empty, the count said 26)."""
    older = EventFactory(title="Open choir evening")
    RsvpFactory(event=older, user=going, status="going")
    kept = inbox_item(going, older)
    Notification.objects.filter(pk=kept.pk).update(sent_at=timezone.now() - dt.timedelta(days=1))
    for kind in [event_notices.CONFIRMED, event_notices.REMINDER, event_notices.CHANGED] * 9:
        Notification.objects.create(
            recipient=going,
            kind=kind,
            channel=Channel.INBOX,
            subject=f"events.event:{event.pk}",
            send_at=timezone.now(),
            sent_at=timezone.now(),
            status=Status.SENT,
            dedupe_key=f"hidden:{Notification.objects.count()}",
        )
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    Membership.objects.filter(user=going, group=group).update(status=Membership.Status.BANNED)

    assert list(selectors.inbox_for(user=going)) == [kept]
    assert selectors.inbox_unread_count(user=going) == 1
    client.force_login(going)
    page = html.unescape(client.get(reverse("notifications:inbox")).content.decode())
    assert page.count('<li class="card') == 1
    assert "Open choir evening" in page
    assert "1 unread" in page
    assert "?page=2" not in page

    assert services.notifications_mark_read(user=going) == 1
    assert Notification.objects.filter(recipient=going, read_at__isnull=True).count() == 27


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("notifications:inbox", "post"),
        ("notifications:inbox", "put"),
        ("notifications:mark_all_read", "get"),
        ("notifications:mark_read", "get"),
        ("notifications:preferences", "put"),
        ("notifications:preferences", "delete"),
        ("notifications:unsubscribe", "put"),
    ],
)
def test_each_view_answers_only_its_methods(client, member, name, method):
    args = {
        "notifications:mark_read": [1],
        "notifications:unsubscribe": [unsubscribe_token(user=member, kind=event_notices.REMINDER)],
    }.get(name, [])
    client.force_login(member)
    assert getattr(client, method)(reverse(name, args=args)).status_code == 405


def test_inbox_pages_keep_the_other_query_parameters(client, event, going):
    for index in range(21):
        Notification.objects.create(
            recipient=going,
            kind=event_notices.CONFIRMED,
            channel=Channel.INBOX,
            subject=f"events.event:{event.pk}",
            send_at=timezone.now(),
            sent_at=timezone.now(),
            status=Status.SENT,
            dedupe_key=f"page:{index}",
        )
    client.force_login(going)
    page = client.get(reverse("notifications:inbox"), {"page": "1", "from": "mail"})
    assert page.content.decode().count('<li class="card') == 20
    assert "?page=2&amp;from=mail" in page.content.decode()
    second = client.get(reverse("notifications:inbox"), {"page": "2"}).content.decode()
    assert second.count('<li class="card') == 1


def test_unsubscribe_link_of_a_deleted_account_is_404(client, member):
    token = unsubscribe_token(user=member, kind=event_notices.REMINDER)
    member.deleted_at = timezone.now()
    member.save()
    assert client.get(reverse("notifications:unsubscribe", args=[token])).status_code == 404


def test_preferences_service_refuses_what_the_form_would_with_field_errors(member):
    from core.exceptions import ServiceError

    with pytest.raises(ServiceError) as lead_time:
        services.notification_preferences_set(user=member, choices={}, reminder_offsets=[5])
    assert list(lead_time.value.field_errors()) == ["reminder_offsets"]
    with pytest.raises(ServiceError) as weekday:
        services.notification_preferences_set(user=member, choices={}, digest_weekday=9)
    assert list(weekday.value.field_errors()) == ["digest_weekday"]
    with pytest.raises(ServiceError):
        services.notification_preferences_set(
            user=member, choices={(event_notices.DIGEST, Channel.INBOX): True}
        )
    with pytest.raises(ServiceError):
        services.notification_preferences_set(
            user=member, choices={("nobody.registered_this", Channel.EMAIL): True}
        )
    assert services.notification_settings_get(user=member).pk is None
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize(
    ("model", "make"),
    [
        ("notification", lambda user: inbox_item(user, EventFactory())),
        (
            "notificationpreference",
            lambda user: NotificationPreference.objects.create(
                user=user, kind=event_notices.CREATED, channel=Channel.EMAIL, enabled=True
            ),
        ),
        (
            "notificationsettings",
            lambda user: NotificationSettings.objects.create(user=user, reminder_offsets=[60]),
        ),
    ],
)
def test_notification_admins_show_rows_but_never_write_them(client, member, model, make):
    """Writes go through the services (a member's choices through their preferences page)."""
    row = make(member)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    change = reverse(f"admin:notifications_{model}_change", args=[row.pk])

    assert client.get(reverse(f"admin:notifications_{model}_changelist")).status_code == 200
    assert client.get(change).status_code == 200  # to look at
    assert client.get(reverse(f"admin:notifications_{model}_add")).status_code == 403
    assert client.post(change, {"enabled": "", "reminder_offsets": "[]"}).status_code == 403
    assert (
        client.post(reverse(f"admin:notifications_{model}_delete", args=[row.pk])).status_code
        == 403
    )
    assert type(row).objects.filter(pk=row.pk).exists()


def test_the_inbox_costs_the_same_queries_for_few_or_many_items(client, group, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_inbox():
        client.force_login(member)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("notifications:inbox")).status_code == 200
        return len(captured)

    def add_items(count):
        for _ in range(count):
            event = EventFactory(group=group)
            RsvpFactory(event=event, user=member, status="going")
            inbox_item(member, event)
            inbox_item(member, event, kind=event_notices.REMINDER)

    add_items(1)
    few = queries_for_inbox()
    add_items(9)
    assert queries_for_inbox() == few
