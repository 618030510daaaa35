"""Who did it: every service takes an `actor`.

An actor is a person (a signed-in member, organizer or moderator), the system (with a reason:
"group closed", "demo data", "series materialized") or a partner's API client. Services accept a
User where a person acts, so `as_actor(user)` is the one conversion; permissions answer for each
kind (the system passes; a client only within its grant, decided by the partners app).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    kind: str  # one of PERSON, SYSTEM, CLIENT
    user: Any = None  # the person, for PERSON
    reason: str = ""  # why the system acted, for SYSTEM
    client_id: int | None = None  # the API client, for CLIENT
    client_name: str = ""
    # The groups a client with a write grant may run (its partner organization's groups).
    managed_group_ids: frozenset = frozenset()

    PERSON = "person"
    SYSTEM = "system"
    CLIENT = "client"

    @classmethod
    def person(cls, user) -> Actor:
        if user is None or not getattr(user, "is_authenticated", False):
            raise ValueError("a person acting must be signed in")
        return cls(kind=cls.PERSON, user=user)

    @classmethod
    def system(cls, reason: str) -> Actor:
        if not reason:
            raise ValueError("the system acts for a reason")
        return cls(kind=cls.SYSTEM, reason=reason)

    @classmethod
    def client(cls, *, client_id: int, name: str, managed_group_ids=()) -> Actor:
        return cls(
            kind=cls.CLIENT,
            client_id=client_id,
            client_name=name,
            managed_group_ids=frozenset(managed_group_ids),
        )

    @property
    def is_person(self) -> bool:
        return self.kind == self.PERSON

    @property
    def is_system(self) -> bool:
        return self.kind == self.SYSTEM

    @property
    def is_client(self) -> bool:
        return self.kind == self.CLIENT

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    def __str__(self) -> str:
        if self.is_person:
            return str(self.user)
        if self.is_system:
            return f"system ({self.reason})"
        return f"API client {self.client_name or self.client_id}"


def as_actor(value) -> Actor | None:
    """An Actor from what a caller passed: an Actor, a signed-in User, or None / an anonymous
    user (None: nobody, whom every permission refuses)."""
    if value is None or isinstance(value, Actor):
        return value
    if not getattr(value, "is_authenticated", False):
        return None
    return Actor.person(value)


def person_of(actor) -> Any:
    """The User behind an actor, or None for the system, a client or nobody."""
    actor = as_actor(actor)
    return actor.user if actor is not None and actor.is_person else None
