"""Organizers choose how they hear of requests to join: at once (on by default) or in a daily
summary (off unless chosen)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from groups.models import Group, Membership
from groups.notifications import JOIN_REQUESTS_DAILY, join_request_summaries_schedule
from groups.services import membership_join
from groups.tasks import join_request_summaries_schedule_task
from notifications.models import Notification
from notifications.services import notification_preferences_set
from notifications.tasks import notifications_dispatch_due_task
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return UserFactory(display_name="Olu Organizer")


@pytest.fixture
def group(organizer):
    return GroupFactory(
        organizer=organizer, name="Quiet circle", join_policy=Group.JoinPolicy.APPROVAL
    )


def summaries():
    return Notification.objects.filter(kind=JOIN_REQUESTS_DAILY)


def test_summary_is_off_unless_chosen(group, organizer):
    membership_join(group=group, actor=UserFactory())
    assert join_request_summaries_schedule() == 0
    assert not summaries().exists()


def test_summary_goes_to_organizers_who_chose_it_once_a_day(
    group, organizer, django_capture_on_commit_callbacks
):
    notification_preferences_set(
        user=organizer,
        choices={(JOIN_REQUESTS_DAILY, "email"): True, ("groups.join_requested", "email"): False},
    )
    host = UserFactory()
    MembershipFactory(group=group, user=host, role=Membership.Role.HOST)
    notification_preferences_set(user=host, choices={(JOIN_REQUESTS_DAILY, "email"): True})
    for _i in range(3):
        membership_join(group=group, actor=UserFactory())
    assert join_request_summaries_schedule_task() == 1
    join_request_summaries_schedule()  # a second run the same day writes nothing new
    (row,) = summaries()
    assert row.recipient == organizer
    assert row.context == {"new": 3}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications_dispatch_due_task()
    (email,) = mail.outbox
    assert email.to == [organizer.email]
    assert "3 people asked to join" in email.body


def test_old_requests_alone_bring_no_summary(group, organizer):
    notification_preferences_set(user=organizer, choices={(JOIN_REQUESTS_DAILY, "email"): True})
    membership_join(group=group, actor=UserFactory())
    later = timezone.now() + dt.timedelta(days=2)
    assert join_request_summaries_schedule(now=later) == 0


def test_summary_is_dropped_when_nothing_waits_any_more(
    group, organizer, django_capture_on_commit_callbacks
):
    notification_preferences_set(user=organizer, choices={(JOIN_REQUESTS_DAILY, "email"): True})
    membership = membership_join(group=group, actor=UserFactory())
    join_request_summaries_schedule()
    membership.delete()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications_dispatch_due_task()
    assert not [m for m in mail.outbox if "asked to join" in m.body]
