"""Sections of a person's own profile page that other apps fill (volunteering: verified hours),
so accounts neither imports them nor loads their template tags.

An app registers a section in its AppConfig.ready():

    profile_sections.register("hours", order=10, template="volunteering/hours/_profile.html",
                              context=lambda *, user: {...})

`context` runs the section's reads for the signed-in person (their own data only) and returns
what its template needs, at a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileSection:
    name: str
    order: int
    template: str
    context: Callable[..., dict]


_sections: dict[str, ProfileSection] = {}


def register(name: str, *, order: int, template: str, context: Callable[..., dict]) -> None:
    """Declare a section; registering the same name again replaces it."""
    _sections[name] = ProfileSection(name=name, order=order, template=template, context=context)


def sections_for(*, user) -> list[tuple[str, dict]]:
    """(template, context) of every registered section, in order, for the person's profile."""
    return [
        (section.template, section.context(user=user))
        for section in sorted(_sections.values(), key=lambda s: (s.order, s.name))
    ]
