"""The "Care calendars" section of a group's page: only the calendars the viewer may open,
and nothing at all (not even a count) for people outside the group."""

from groups import sections
from groups.permissions import is_active_member
from volunteering.care.selectors import group_care_calendars


def group_section_context(*, group, user, membership) -> dict:
    calendars = list(group_care_calendars(group=group, user=user, membership=membership))
    return {
        "calendars": calendars,
        "is_member": is_active_member(user, group, membership=membership),
    }


sections.register(
    "care_calendars",
    order=40,
    template="volunteering/care/_group_section.html",
    context=group_section_context,
)
