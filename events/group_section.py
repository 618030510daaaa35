"""The "Upcoming events" section of a group's page (groups.sections): the events app fills it,
so the groups app neither imports events nor loads its template tags."""

from events import selectors
from groups import sections
from groups.permissions import can_manage_events


def group_section_context(*, group, user, membership) -> dict:
    """The group's coming events the viewer may see, and whether they may add one."""
    return {
        "events": selectors.group_upcoming_events(group=group, user=user),
        "can_add": can_manage_events(user, group, membership=membership),
    }


sections.register(
    "events", order=10, template="events/_group_section.html", context=group_section_context
)
