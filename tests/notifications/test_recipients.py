"""Who may receive a notice: each rule is written once, at its level (an account that may
receive and has not opted out: notifications.recipients; still a member: groups), and every
place that writes or re-checks notices asks it. Each test fails when its rule is removed."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from events import notifications as event_notices
from groups.models import Membership
from groups.selectors import notice_audience
from notifications import recipients, registry, services
from notifications.models import Channel, Notification, NotificationPreference
from tests.factories import (
    EventFactory,
    GroupFactory,
    MembershipFactory,
    RsvpFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CREATED = registry.get(event_notices.CREATED)  # off by default, opt in per channel
CONFIRMED = registry.get(event_notices.CONFIRMED)  # on by default, opt out per channel


def account(state: str):
    user = UserFactory()
    if state == "inactive":
        user.is_active = False
    elif state == "deleted":
        user.deleted_at = timezone.now()
    user.save()
    return user


@pytest.mark.parametrize(
    ("state", "may"), [("active", True), ("inactive", False), ("deleted", False)]
)
def test_only_a_live_account_may_receive(state, may):
    user = account(state)
    assert recipients.account_may_receive(user) is may
    assert recipients.accounts_receiving([user.pk]).exists() is may
    assert bool(recipients.channels_on(user=user, kind=CONFIRMED)) is may


def test_channels_follow_the_members_choice_or_the_kinds_default():
    silent, keen = UserFactory(), UserFactory()
    NotificationPreference.objects.create(
        user=silent, kind=CONFIRMED.key, channel=Channel.EMAIL, enabled=False
    )
    NotificationPreference.objects.create(
        user=keen, kind=CREATED.key, channel=Channel.INBOX, enabled=True
    )

    assert recipients.channels_on(user=silent, kind=CONFIRMED) == [Channel.INBOX]
    assert recipients.channels_on(user=keen, kind=CONFIRMED) == [Channel.EMAIL, Channel.INBOX]
    assert recipients.channels_on(user=silent, kind=CREATED) == []
    assert recipients.channels_on(user=keen, kind=CREATED) == [Channel.INBOX]

    for kind in (CONFIRMED, CREATED):
        users, flags = recipients.audience(kind=kind, user_ids=[silent.pk, keen.pk])
        in_sql = {
            pk: [c for c, on in zip(kind.channels, on_flags, strict=True) if on]
            for pk, *on_flags in users.values_list("pk", *flags)
        }
        assert in_sql == {
            user.pk: recipients.channels_on(user=user, kind=kind) for user in (silent, keen)
        }


def test_one_notice_for_one_person_skips_dead_accounts_and_channels_turned_off():
    event = EventFactory()
    inactive, opted_out = account("inactive"), UserFactory()
    NotificationPreference.objects.create(
        user=opted_out, kind=CONFIRMED.key, channel=Channel.EMAIL, enabled=False
    )
    for user in (inactive, opted_out):
        services.notification_schedule(
            recipient=user,
            kind=CONFIRMED.key,
            subject=f"events.event:{event.pk}",
            dedupe_key=f"t:{user.pk}",
        )
    assert list(Notification.objects.values_list("recipient", "channel")) == [
        (opted_out.pk, Channel.INBOX)
    ]


def test_notices_to_many_and_reminders_skip_dead_accounts_and_channels_turned_off():
    live, inactive, deleted, opted_out = (
        UserFactory(),
        account("inactive"),
        account("deleted"),
        UserFactory(),
    )
    NotificationPreference.objects.create(
        user=opted_out, kind=CONFIRMED.key, channel=Channel.EMAIL, enabled=False
    )
    NotificationPreference.objects.create(
        user=opted_out, kind=event_notices.REMINDER, channel=Channel.EMAIL, enabled=False
    )
    everyone = [live.pk, inactive.pk, deleted.pk, opted_out.pk]

    services.notification_schedule_many(
        recipient_ids=everyone, kind=CONFIRMED.key, subject="events.event:1", dedupe_key="many"
    )
    services.reminders_schedule(
        recipient_ids=everyone,
        kind=event_notices.REMINDER,
        subject="events.event:1",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )

    def written(kind):
        return set(Notification.objects.filter(kind=kind).values_list("recipient", "channel"))

    expected = {
        (live.pk, Channel.EMAIL),
        (live.pk, Channel.INBOX),
        (opted_out.pk, Channel.INBOX),
    }
    assert written(CONFIRMED.key) == expected
    assert written(event_notices.REMINDER) == expected  # two lead times each, same pairs


@pytest.mark.parametrize("state", ["active", "inactive", "opted_out", "never_opted_in"])
def test_the_weekly_digest_is_written_only_for_live_accounts_that_opted_in(state):
    user = account("inactive" if state == "inactive" else "active")
    if state != "never_opted_in":
        NotificationPreference.objects.create(
            user=user,
            kind=event_notices.DIGEST,
            channel=Channel.EMAIL,
            enabled=state != "opted_out",
        )
    monday_morning = dt.datetime(2026, 6, 1, 9, 0, tzinfo=dt.UTC)  # the default day, in UTC
    with time_machine.travel(monday_morning):
        services.notification_digests_schedule()
    assert Notification.objects.filter(recipient=user).exists() is (state == "active")


def test_delivery_cancels_what_waits_for_an_account_that_was_deactivated(event, dispatch):
    rsvp = RsvpFactory(event=event, user=UserFactory(), status="going")
    event_notices.on_rsvp_confirmed(rsvp=rsvp)
    Notification.objects.update(send_at=timezone.now())
    rsvp.user.is_active = False
    rsvp.user.save()
    dispatch()
    assert set(Notification.objects.values_list("status", flat=True)) == {"cancelled"}


# --- the group level: still a member ---------------------------------------------------------


@pytest.fixture
def members():
    group = GroupFactory()
    people = {
        status: MembershipFactory(group=group, status=status).user
        for status in (
            Membership.Status.ACTIVE,
            Membership.Status.PENDING,
            Membership.Status.BANNED,
        )
    }
    moderator = UserFactory(is_superuser=True, is_staff=True)
    return group, people, moderator


def test_a_groups_notice_audience_is_its_active_members_only(members):
    group, people, moderator = members
    MembershipFactory(user=people[Membership.Status.ACTIVE])  # another group: not this one
    audience = set(notice_audience(group_ids=[group.pk]).values_list("user_id", flat=True))
    organizers = set(
        group.memberships.filter(role=Membership.Role.ORGANIZER).values_list("user_id", flat=True)
    )
    assert audience == {people[Membership.Status.ACTIVE].pk, *organizers}
    assert people[Membership.Status.PENDING].pk not in audience
    assert people[Membership.Status.BANNED].pk not in audience
    assert moderator.pk not in audience
    assert set(
        notice_audience(user_ids=[u.pk for u in people.values()]).values_list("group_id", flat=True)
    ) >= {group.pk}


def test_new_event_notices_go_to_active_members_who_opted_in(members):
    group, people, moderator = members
    for user in [*people.values(), moderator]:
        NotificationPreference.objects.create(
            user=user, kind=CREATED.key, channel=Channel.EMAIL, enabled=True
        )
    event = EventFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=2))
    event_notices.on_event_created(event=event)
    assert set(Notification.objects.values_list("recipient", flat=True)) == {
        people[Membership.Status.ACTIVE].pk
    }


@pytest.mark.parametrize("status", [Membership.Status.PENDING, Membership.Status.BANNED])
def test_the_digest_shows_no_event_of_a_group_one_is_not_an_active_member_of(members, status):
    group, people, _moderator = members
    EventFactory(group=group, starts_at=timezone.now() + dt.timedelta(days=2))
    rows = [
        Notification(pk=index, recipient=user, kind=event_notices.DIGEST, context={})
        for index, user in enumerate([people[Membership.Status.ACTIVE], people[status]], 1)
    ]
    rendered = event_notices.render_digests(rows)
    assert rendered[1] is not None
    assert rendered[2] is None
