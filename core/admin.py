"""Admin pieces shared by every app."""

from django.contrib import admin

from core.models import Activity, ModerationSession
from core.moderation import is_site_moderator


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows staff may look at but not add, edit or delete: their changes go through services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    """The activity log: what changed, who did it, when. Written by services only."""

    list_display = ("created_at", "actor_kind", "actor_label", "verb", "subject", "group_id")
    list_filter = ("actor_kind", "verb")
    search_fields = ("verb", "subject")
    date_hierarchy = "created_at"
    list_select_related = ("actor_user",)

    def get_exclude(self, request, obj=None):
        # What changed can quote a private group's text: shown only inside a moderation session.
        return () if is_site_moderator(request.user) else ("data",)


@admin.register(ModerationSession)
class ModerationSessionAdmin(ReadOnlyAdmin):
    """Who looked into private groups, why and for how long; started and ended on the site."""

    list_display = ("moderator", "reason", "started_at", "expires_at", "ended_at")
    list_select_related = ("moderator",)
