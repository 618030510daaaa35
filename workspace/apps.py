from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    name = "workspace"
    verbose_name = _("Organizer workspace")

    def ready(self):
        from core import header
        from groups import permissions
        from groups.selectors import organize_groups, organize_pending, organize_reports
        from volunteering.coordinator_selectors import hours_waiting
        from workspace import navigation

        header.register("organize_groups", organize_groups)
        header.register("organize_pending", organize_pending)
        header.register("organize_reports", organize_reports)

        navigation.register(
            "dashboard", label=_("Dashboard"), url_name="workspace:dashboard", order=0
        )
        navigation.register(
            "members",
            label=_("Members"),
            url_name="workspace:members",
            order=5,
            organizers_only=True,
            # Hosts who may see the member list remove plain members there.
            hosts_when=lambda workspace: permissions.can_remove_members(
                workspace.user, workspace.group, membership=workspace.membership
            ),
        )
        navigation.register(
            "reports",
            label=_("Reports"),
            url_name="workspace:reports",
            order=80,
            organizers_only=True,
        )
        navigation.register(
            "activity",
            label=_("Activity"),
            url_name="workspace:activity",
            order=90,
            organizers_only=True,
        )
        # The events part of the workspace (workspace/views/events.py).
        navigation.register("events", label=_("Events"), url_name="workspace:events", order=10)
        # The volunteering part (workspace/views/volunteering.py): organizers and hosts.
        navigation.register(
            "volunteering",
            label=_("Volunteering"),
            url_name="workspace:volunteering",
            order=20,
        )
        header.register("organize_hours", hours_waiting)
