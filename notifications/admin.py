from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications import services
from notifications.models import Notification, NotificationPreference, NotificationSettings


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
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
    readonly_fields = [
        "claim_token",
        "lease_expires_at",
        "attempts",
        "last_error",
        "dedupe_key",
        "message_id",
        "created_at",
        "sent_at",
        "read_at",
    ]
    actions = ["retry_failed"]

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
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "channel", "enabled"]
    list_filter = ["kind", "channel", "enabled"]
    raw_id_fields = ["user"]
    search_fields = ["user__email"]


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "reminder_offsets", "digest_weekday"]
    raw_id_fields = ["user"]
    search_fields = ["user__email"]
