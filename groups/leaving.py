"""What a member gives up by leaving a group, said on the "leave group" confirmation page.
Other apps know what hangs on a membership (events: seats and waitlist places; volunteering:
shift places), so they register here, as sections do, and the groups app imports neither:

    leaving.register("events", order=10, given_up=lambda *, membership: [...])

`given_up` returns the coming things (plain text, one line each: what and when) that the
app's own `membership.ended` listener will give up, at a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# At most this many coming things per app are named; the page says how many more.
LIMIT = 20


@dataclass(frozen=True)
class GivenUp:
    name: str
    order: int
    given_up: Callable[..., list[str]]


_registry: dict[str, GivenUp] = {}


def register(name: str, *, order: int, given_up: Callable[..., list[str]]) -> None:
    _registry[name] = GivenUp(name=name, order=order, given_up=given_up)


def given_up_by(*, membership) -> list[str]:
    """Every registered app's coming things the member would give up, in order."""
    things: list[str] = []
    for entry in sorted(_registry.values(), key=lambda e: (e.order, e.name)):
        things.extend(entry.given_up(membership=membership))
    return things
