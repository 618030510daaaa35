"""Sections of a group's page that other apps fill (events: "coming up"; volunteering:
projects), so the groups app neither imports them nor loads their template tags.

An app registers a section in its AppConfig.ready():

    sections.register("events", order=10, template="events/_group_section.html",
                      context=lambda *, group, user, membership: {...})

`context` runs the section's reads (through that app's selectors, limited to what the viewer
may see) and returns what its template needs; it runs only when the viewer may see the group's
content, and should cost a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    template: str
    context: Callable[..., dict]


_sections: dict[str, Section] = {}


def register(name: str, *, order: int, template: str, context: Callable[..., dict]) -> None:
    _sections[name] = Section(name=name, order=order, template=template, context=context)


def sections_for(*, group, user, membership) -> list[tuple[str, dict]]:
    """(template, context) of every registered section, in order, for this viewer."""
    return [
        (section.template, section.context(group=group, user=user, membership=membership))
        for section in sorted(_sections.values(), key=lambda s: (s.order, s.name))
    ]
