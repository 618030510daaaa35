import pytest

from core import bus
from groups.models import Membership
from tests.factories import GroupFactory, MembershipFactory, ShiftFactory, UserFactory


@pytest.fixture
def published(monkeypatch):
    """Every topic published through core.bus while the test runs."""
    seen = []
    monkeypatch.setitem(
        bus._subscribers,
        "*",
        [*bus._subscribers.get("*", []), lambda *, topic, **payload: seen.append((topic, payload))],
    )
    return seen


@pytest.fixture
def organizer(db):
    return UserFactory(display_name="Olu Organizer")


@pytest.fixture
def group(organizer):
    return GroupFactory(organizer=organizer)


@pytest.fixture
def shift(group):
    return ShiftFactory(role__project__group=group, capacity=2)


@pytest.fixture
def volunteer(group):
    return MembershipFactory(group=group, role=Membership.Role.MEMBER).user
