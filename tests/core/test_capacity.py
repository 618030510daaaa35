import pytest

from core.capacity import seats_release, seats_take
from events.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.mark.seats_by_hand
def test_seats_are_taken_until_capacity_then_refused():
    event = EventFactory(capacity=3)
    assert seats_take(model=Event, pk=event.pk, seats=2)
    assert not seats_take(model=Event, pk=event.pk, seats=2)
    assert seats_take(model=Event, pk=event.pk, seats=1)
    event.refresh_from_db()
    assert event.seats_taken == 3


@pytest.mark.seats_by_hand
def test_unlimited_capacity_always_has_seats():
    event = EventFactory(capacity=None)
    for _ in range(5):
        assert seats_take(model=Event, pk=event.pk, seats=3)
    seats_release(model=Event, pk=event.pk, seats=3)
    event.refresh_from_db()
    assert event.seats_taken == 12
