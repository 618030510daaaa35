"""Who may do what with hours: yes/no predicates, asked by services, pages and exports alike."""

from groups.permissions import UNKNOWN, can_manage_events, can_view_group_content


def can_coordinate_hours(user, project, *, membership=UNKNOWN) -> bool:
    """May the user verify, reject, correct and export the project's hours? The group's
    coordinators: active organizers and hosts (and the system, and moderators in a session)."""
    return can_manage_events(user, project.group, membership=membership)


def can_log_hours(user, project, *, membership=UNKNOWN) -> bool:
    """May the user log their own hours against the project? Whoever may see it (the service
    also asks for a sign-up or an active membership)."""
    return can_view_group_content(user, project.group, membership=membership)
