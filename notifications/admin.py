"""The outbox and members' choices, for site moderators to look at. Read-only: rows are
written by the services (a member's choices by the member, on the preferences page); the one
action, trying failed rows again, goes through `notifications.services.notifications_retry`."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin
from core.moderation import is_site_moderator
from notifications import services
from notifications.models import Notification, NotificationPreference, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "channel",
        "recipient",
        "subject",
        "send_at",
        "status",
        "attempts",
    ]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["recipient__email", "subject", "dedupe_key", "message_id"]
    date_hierarchy = "send_at"
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient"]
    actions = ["retry_failed"]

    def get_exclude(self, request, obj=None):
        # A notice's saved text can quote a private group's event (title, place, message):
        # read only inside a moderation session.
        return () if is_site_moderator(request.user) else ("context",)

    @admin.action(description=_("Try the selected failed notifications again"))
    def retry_failed(self, request, queryset):
        count = services.notifications_retry(notification_ids=queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext(
                "%(count)d notification queued again.",
                "%(count)d notifications queued again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["user", "kind", "channel", "enabled"]
    list_filter = ["kind", "channel", "enabled"]
    list_select_related = ["user"]
    search_fields = ["user__email"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(ReadOnlyAdmin):
    list_display = ["user", "reminder_offsets", "digest_weekday"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
