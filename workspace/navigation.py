"""The workspace's sections, in its navigation: each part of the workspace (events now,
volunteering later) registers one in WorkspaceConfig.ready(), so the group dashboard neither
lists them by hand nor shows a host what only organizers may open.

    navigation.register("events", label=_("Events"), url_name="workspace:events", order=10)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Section:
    name: str
    label: str
    url_name: str
    order: int
    organizers_only: bool
    hosts_when: Callable | None = None  # hosts see an organizers' section when it says yes


_sections: dict[str, Section] = {}


def register(
    name: str,
    *,
    label,
    url_name: str,
    order: int,
    organizers_only: bool = False,
    hosts_when: Callable | None = None,
) -> None:
    _sections[name] = Section(
        name=name,
        label=label,
        url_name=url_name,
        order=order,
        organizers_only=organizers_only,
        hosts_when=hosts_when,
    )


@dataclass(frozen=True)
class Link:
    name: str
    label: str
    url: str
    current: bool


def links_for(workspace, *, current: str = "") -> list[Link]:
    """The sections this viewer may open in this group's workspace, in order."""
    return [
        Link(
            name=section.name,
            label=str(section.label),
            url=reverse(section.url_name, kwargs={"group_slug": workspace.group.slug}),
            current=section.name == current,
        )
        for section in sorted(_sections.values(), key=lambda s: (s.order, s.name))
        if workspace.runs_group
        or not section.organizers_only
        or (section.hosts_when is not None and section.hosts_when(workspace))
    ]


def page_context(workspace, *, section: str, **extra) -> dict:
    """What every workspace page's template needs: the workspace, its group and the section
    links with `section` marked current, plus the page's own values."""
    return {
        "workspace": workspace,
        "group": workspace.group,
        "nav": links_for(workspace, current=section),
        **extra,
    }
