"""Writing, moving and cancelling outbox rows from the events and groups services."""

import datetime as dt

import pytest
from django.utils import timezone

from events import notifications as event_notices
from events.models import Rsvp
from events.services import (
    event_cancel,
    event_create,
    event_update,
    rsvp_cancel,
    rsvp_create,
    rsvp_decline,
)
from groups.models import Group, Membership
from groups.services import membership_approve
from notifications import services
from notifications.models import Channel, Notification, NotificationPreference
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory

pytestmark = pytest.mark.django_db

Status = Notification.Status


def rows(**filters):
    return Notification.objects.filter(**filters).order_by("send_at", "channel")


def test_rsvp_writes_confirmation_and_reminders_24h_and_2h_before(event, member):
    rsvp_create(event=event, user=member)

    confirmations = rows(kind=event_notices.CONFIRMED, recipient=member)
    assert {n.channel for n in confirmations} == {Channel.EMAIL, Channel.INBOX}
    reminders = rows(kind=event_notices.REMINDER, recipient=member, channel=Channel.EMAIL)
    assert [n.send_at for n in reminders] == [
        event.starts_at - dt.timedelta(hours=24),
        event.starts_at - dt.timedelta(hours=2),
    ]
    assert all(n.status == Status.PENDING for n in reminders)
    assert all(n.subject == f"events.event:{event.pk}" for n in reminders)


def test_member_chosen_offsets_and_no_reminders_at_all(event, group):
    one_hour = MembershipFactory(group=group).user
    services.notification_preferences_set(user=one_hour, choices={}, reminder_offsets=[60])
    none = MembershipFactory(group=group).user
    services.notification_preferences_set(user=none, choices={}, reminder_offsets=[])

    rsvp_create(event=event, user=one_hour)
    rsvp_create(event=event, user=none)

    assert [n.send_at for n in rows(kind=event_notices.REMINDER, recipient=one_hour)] == [
        event.starts_at - dt.timedelta(hours=1)
    ] * 2
    assert not rows(kind=event_notices.REMINDER, recipient=none).exists()


def test_channel_turned_off_writes_no_row_for_it(event, member):
    services.notification_preferences_set(
        user=member, choices={(event_notices.REMINDER, Channel.INBOX): False}
    )
    rsvp_create(event=event, user=member)
    assert set(rows(kind=event_notices.REMINDER).values_list("channel", flat=True)) == {
        Channel.EMAIL
    }


def test_lead_times_already_past_are_skipped(group, member):
    starts = timezone.now() + dt.timedelta(hours=5)
    event = EventFactory(group=group, starts_at=starts, ends_at=starts + dt.timedelta(hours=1))
    rsvp_create(event=event, user=member)
    assert list(
        rows(kind=event_notices.REMINDER, channel=Channel.EMAIL).values_list("lead_time", flat=True)
    ) == [dt.timedelta(hours=2)]


def test_the_same_reminder_is_never_written_twice(event, member):
    rsvp = rsvp_create(event=event, user=member)
    before = Notification.objects.count()
    event_notices.on_rsvp_confirmed(rsvp=rsvp)
    assert Notification.objects.filter(kind=event_notices.REMINDER).count() == 4
    assert Notification.objects.count() == before


def test_cancelling_the_rsvp_cancels_reminders_and_rsvp_again_restores_them(event, member):
    rsvp = rsvp_create(event=event, user=member)
    rsvp_cancel(rsvp=rsvp, actor=member)
    assert set(rows(kind=event_notices.REMINDER).values_list("status", flat=True)) == {
        Status.CANCELLED
    }

    rsvp_create(event=event, user=member)
    reminders = rows(kind=event_notices.REMINDER)
    assert reminders.count() == 4
    assert set(reminders.values_list("status", flat=True)) == {Status.PENDING}


def test_waitlisted_rsvp_gets_reminders_only_when_promoted(group, event, member):
    event.capacity = 1
    event.save()
    first = MembershipFactory(group=group).user
    first_rsvp = rsvp_create(event=event, user=first)
    waiting = rsvp_create(event=event, user=member)
    assert waiting.status == Rsvp.Status.WAITLISTED
    assert not rows(recipient=member).exists()

    rsvp_cancel(rsvp=first_rsvp, actor=first)

    assert rows(recipient=member, kind=event_notices.PROMOTED).count() == 2
    assert rows(recipient=member, kind=event_notices.REMINDER).count() == 4


def test_moving_the_event_moves_pending_reminders_and_tells_people_going(group, event, member):
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    rsvp_create(event=event, user=member)
    declined = MembershipFactory(group=group).user
    rsvp_decline(event=event, user=declined)
    later = event.starts_at + dt.timedelta(days=1, hours=3)

    event_update(
        event=event, actor=organizer, starts_at=later, ends_at=later + dt.timedelta(hours=2)
    )

    reminders = rows(kind=event_notices.REMINDER, recipient=member, channel=Channel.EMAIL)
    assert [n.send_at for n in reminders] == [
        later - dt.timedelta(hours=24),
        later - dt.timedelta(hours=2),
    ]
    changed = rows(kind=event_notices.CHANGED)
    assert set(changed.values_list("recipient", flat=True)) == {member.pk}
    assert changed.first().context == {"changed": ["ends_at", "starts_at"]}


def test_a_second_change_replaces_the_unsent_notice(group, event, member):
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    rsvp_create(event=event, user=member)
    event_update(event=event, actor=organizer, venue_name="Library")
    event_update(event=event, actor=organizer, address="2 Low Street")
    changed = rows(kind=event_notices.CHANGED, channel=Channel.EMAIL)
    assert list(changed.values_list("status", flat=True)) == [Status.CANCELLED, Status.PENDING]


def test_moving_earlier_cancels_reminders_whose_moment_passed(group, event, member):
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    rsvp_create(event=event, user=member)
    soon = timezone.now() + dt.timedelta(hours=3)
    event_update(event=event, actor=organizer, starts_at=soon, ends_at=soon + dt.timedelta(hours=1))
    statuses = dict(
        rows(kind=event_notices.REMINDER, channel=Channel.EMAIL).values_list("lead_time", "status")
    )
    assert statuses == {
        dt.timedelta(hours=24): Status.CANCELLED,
        dt.timedelta(hours=2): Status.PENDING,
    }


def test_cancelling_the_event_tells_going_and_waitlisted_never_those_who_said_no(group, event):
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    event.capacity = 1
    event.save()
    going, waiting, declined = (MembershipFactory(group=group).user for _ in range(3))
    rsvp_create(event=event, user=going)
    rsvp_create(event=event, user=waiting)
    rsvp_decline(event=event, user=declined)

    event_cancel(event=event, actor=organizer, message="The hall flooded. Sorry!")

    assert set(rows(kind=event_notices.REMINDER).values_list("status", flat=True)) == {
        Status.CANCELLED
    }
    cancelled = rows(kind=event_notices.CANCELLED, channel=Channel.EMAIL)
    assert set(cancelled.values_list("recipient", flat=True)) == {going.pk, waiting.pk}
    # Each notice keeps what it says; the address only for the person who was going.
    stored = {
        "message": "The hall flooded. Sorry!",
        "title": event.title,
        "when": event_notices.when(event),
        # so the notice is dated in each recipient's language when it is rendered
        "starts_at": event.starts_at.isoformat(),
        "timezone": event.timezone,
        "group_name": group.name,
    }
    assert cancelled.get(recipient=going).context == {
        **stored,
        "location": "Community hall, 1 High Street, Leeds",
    }
    assert cancelled.get(recipient=waiting).context == {
        **stored,
        "location": "Community hall, Leeds",  # venue and city, not the street
    }


def test_new_event_notice_goes_to_opted_in_members_only(group):
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    opted_in, silent = MembershipFactory(group=group).user, MembershipFactory(group=group).user
    pending = MembershipFactory(group=group, status=Membership.Status.PENDING).user
    for user in (opted_in, pending, organizer):
        services.notification_preferences_set(
            user=user, choices={(event_notices.CREATED, Channel.EMAIL): True}
        )
    starts = timezone.now() + dt.timedelta(days=3)
    event_create(
        group=group,
        actor=organizer,
        title="Picnic",
        category="social",
        venue_name="Park",
        timezone="Europe/London",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )
    created = rows(kind=event_notices.CREATED)
    assert list(created.values_list("recipient", "channel")) == [(opted_in.pk, Channel.EMAIL)]
    assert silent.pk not in created.values_list("recipient", flat=True)


@pytest.mark.parametrize("members", [1, 25])
def test_new_event_notices_cost_the_same_queries_for_1_or_many_members(
    members, django_assert_num_queries
):
    group = GroupFactory()
    for _ in range(members):
        user = MembershipFactory(group=group).user
        NotificationPreference.objects.create(
            user=user, kind=event_notices.CREATED, channel=Channel.EMAIL, enabled=True
        )
    event = EventFactory(group=group)
    with django_assert_num_queries(2):  # read members with their choices, insert the rows
        event_notices.on_event_created(event=event)
    assert Notification.objects.filter(kind=event_notices.CREATED).count() == members


def test_join_request_approved_is_announced(group):
    group.join_policy = Group.JoinPolicy.APPROVAL
    group.save()
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    request = MembershipFactory(group=group, status=Membership.Status.PENDING)
    membership_approve(membership=request, actor=organizer)
    assert rows(kind="groups.join_approved", recipient=request.user).count() == 2


def test_deleting_the_account_removes_its_notifications(event, member):
    from accounts.services import user_delete

    rsvp_create(event=event, user=member)
    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[60])
    user_delete(user=member)
    assert not Notification.objects.filter(recipient=member).exists()
    assert services.notification_settings_get(user=member).pk is None


def test_export_lists_choices_and_notices(event, member):
    from accounts.services import user_export

    services.notification_preferences_set(
        user=member, choices={(event_notices.CREATED, Channel.EMAIL): True}, reminder_offsets=[60]
    )
    rsvp_create(event=event, user=member)
    exported = user_export(user=member)["notifications"]
    assert exported["preferences"] == [
        {"kind": event_notices.CREATED, "channel": "email", "enabled": True}
    ]
    assert exported["reminder_minutes_before"] == [60]
    assert {n["kind"] for n in exported["notifications"]} == {
        event_notices.CONFIRMED,
        event_notices.REMINDER,
    }


def test_inactive_members_get_no_rows(event, member):
    member.is_active = False
    member.save()
    event_notices.on_rsvp_confirmed(rsvp=Rsvp(event=event, user=member, status="going"))
    assert not Notification.objects.exists()


def test_private_group_reminder_is_only_for_the_member(event, group, member):
    group.visibility = Group.Visibility.PRIVATE
    group.save()
    # Another active member of the same private group, who did not RSVP: told nothing.
    other = MembershipFactory(group=group).user
    rsvp_create(event=event, user=member)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {member.pk}
    assert not Notification.objects.filter(recipient=other).exists()


def test_new_lead_times_apply_to_reminders_already_written(event, member):
    rsvp_create(event=event, user=member)
    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[2880, 120])
    pending = rows(kind=event_notices.REMINDER, status=Status.PENDING, channel=Channel.EMAIL)
    assert [n.send_at for n in pending] == [
        event.starts_at - dt.timedelta(days=2),
        event.starts_at - dt.timedelta(hours=2),
    ]
    assert rows(kind=event_notices.REMINDER, status=Status.CANCELLED).count() == 2  # the 24 h

    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[])
    assert not rows(kind=event_notices.REMINDER, status=Status.PENDING).exists()


def test_reminders_turned_off_then_on_again_come_back_for_rsvps_already_made(group, event, member):
    rsvp_create(event=event, user=member)
    other = EventFactory(group=group)
    rsvp_decline(event=other, user=member)  # said no: never reminded
    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[])
    assert not rows(kind=event_notices.REMINDER, status=Status.PENDING).exists()

    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[60, 1440])

    pending = rows(kind=event_notices.REMINDER, status=Status.PENDING)
    assert sorted(pending.values_list("send_at", "channel", "subject", "lead_time")) == sorted(
        (event.starts_at - lead, channel, f"events.event:{event.pk}", lead)
        for lead in (dt.timedelta(hours=1), dt.timedelta(hours=24))
        for channel in (Channel.EMAIL, Channel.INBOX)
    )
    assert {n.context["lead_minutes"] for n in pending} == {60, 1440}
    # Saving the same choice again writes nothing new.
    before = Notification.objects.count()
    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[1440, 60])
    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[60])
    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[1440, 60])
    assert Notification.objects.count() == before
    assert rows(kind=event_notices.REMINDER, status=Status.PENDING).count() == 4


def test_new_lead_times_reach_rsvps_without_pending_reminders_and_respect_channels(group, member):
    soon = timezone.now() + dt.timedelta(hours=3)
    event = EventFactory(group=group, starts_at=soon, ends_at=soon + dt.timedelta(hours=1))
    services.notification_preferences_set(
        user=member, choices={(event_notices.REMINDER, Channel.INBOX): False}, reminder_offsets=[]
    )
    rsvp_create(event=event, user=member)
    past = EventFactory(
        group=group,
        starts_at=timezone.now() - dt.timedelta(days=1),
        ends_at=timezone.now() - dt.timedelta(hours=22),
    )
    RsvpFactory(event=past, user=member)
    stranger = MembershipFactory(group=group).user
    rsvp_create(event=event, user=stranger)
    stranger_rows = Notification.objects.filter(recipient=stranger).count()

    services.notification_preferences_set(user=member, choices={}, reminder_offsets=[1440, 120])

    # 24 h before has passed; the 2 h one is written, by email only (the inbox is off).
    assert list(
        rows(kind=event_notices.REMINDER, recipient=member).values_list(
            "subject", "lead_time", "channel", "status"
        )
    ) == [(f"events.event:{event.pk}", dt.timedelta(hours=2), Channel.EMAIL, Status.PENDING)]
    assert Notification.objects.filter(recipient=stranger).count() == stranger_rows


def test_a_channel_turned_off_cancels_what_waits_and_turned_on_brings_reminders_back(event, member):
    rsvp_create(event=event, user=member)
    email_reminders = {"kind": event_notices.REMINDER, "channel": Channel.EMAIL}
    assert rows(**email_reminders, status=Status.PENDING).count() == 2

    services.notification_preferences_set(
        user=member, choices={(event_notices.REMINDER, Channel.EMAIL): False}
    )
    assert not rows(**email_reminders, status=Status.PENDING).exists()
    # The inbox copies were not touched.
    assert rows(kind=event_notices.REMINDER, channel=Channel.INBOX, status=Status.PENDING).count()

    services.notification_preferences_set(
        user=member, choices={(event_notices.REMINDER, Channel.EMAIL): True}
    )
    assert [n.send_at for n in rows(**email_reminders, status=Status.PENDING)] == [
        event.starts_at - dt.timedelta(hours=24),
        event.starts_at - dt.timedelta(hours=2),
    ]


def test_one_click_unsubscribe_cancels_waiting_emails_of_that_kind_only(event, member):
    rsvp_create(event=event, user=member)
    services.notification_unsubscribe(user=member, kind=event_notices.REMINDER)
    assert not rows(
        kind=event_notices.REMINDER, channel=Channel.EMAIL, status=Status.PENDING
    ).exists()
    assert rows(kind=event_notices.REMINDER, channel=Channel.INBOX, status=Status.PENDING).exists()
