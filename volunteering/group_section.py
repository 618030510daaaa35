"""The "Volunteer with us" section of a group's page (groups.sections)."""

from groups import sections
from volunteering import selectors


def group_section_context(*, group, user, membership) -> dict:
    """The group's active projects with their open shift counts (one query)."""
    return {"projects": selectors.group_projects(group=group, user=user)}


sections.register(
    "volunteering",
    order=20,
    template="volunteering/_group_section.html",
    context=group_section_context,
)
