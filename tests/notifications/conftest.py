import datetime as dt

import pytest
from django.utils import timezone

from groups.models import Group
from notifications import delivery, tasks
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory


@pytest.fixture
def dispatch(django_capture_on_commit_callbacks):
    """Run one scan the way beat does; queued send tasks run eagerly after commit."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return delivery.notifications_dispatch_due(
                send_batch=tasks.notifications_send_batch_task.delay, **kwargs
            )

    return run


@pytest.fixture
def group():
    return GroupFactory(visibility=Group.Visibility.PUBLIC)


@pytest.fixture
def event(group):
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=7)
    return EventFactory(
        group=group, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), capacity=10
    )


@pytest.fixture
def member(group):
    return MembershipFactory(group=group, user=UserFactory()).user
