import datetime as dt

import pytest
from django.utils import timezone

from groups.models import Group, Membership
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory, UserFactory


@pytest.fixture
def organizer():
    return UserFactory(display_name="Olu Organizer")


@pytest.fixture
def group(organizer):
    return GroupFactory(
        organizer=organizer,
        name="Recovery circle",
        visibility=Group.Visibility.PRIVATE,
        join_policy=Group.JoinPolicy.APPROVAL,
    )


@pytest.fixture
def host(group):
    user = UserFactory(display_name="Hana Host")
    MembershipFactory(group=group, user=user, role=Membership.Role.HOST)
    return user


@pytest.fixture
def member(group):
    user = UserFactory(display_name="Mo Member")
    MembershipFactory(group=group, user=user)
    return user


@pytest.fixture
def today(group):
    return EventFactory(
        group=group, title="Tuesday circle", starts_at=timezone.now() + dt.timedelta(hours=1)
    )


def going(event, name="Gem Going", **kwargs):
    user = UserFactory(display_name=name)
    MembershipFactory(group=event.group, user=user)
    return RsvpFactory(event=event, user=user, **kwargs)
