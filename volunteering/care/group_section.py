"""The "Care calendars" section of a group's page: only the calendars the viewer may open,
and nothing at all (not even a count) for people outside the group."""

from groups import sections
from volunteering.care.selectors import group_care_calendars


def group_section_context(*, group, user, membership) -> dict:
    calendars = list(group_care_calendars(group=group, user=user))
    return {
        "calendars": calendars,
        "is_member": membership is not None and membership.is_active,
    }


sections.register(
    "care_calendars",
    order=40,
    template="volunteering/care/_group_section.html",
    context=group_section_context,
)
