import pytest

from core import bus
from events import notifications


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
def changed(monkeypatch):
    """Calls of the on_event_changed hook (replaced: nothing is written)."""
    calls = []
    monkeypatch.setattr(notifications, "on_event_changed", lambda **kwargs: calls.append(kwargs))
    return calls
