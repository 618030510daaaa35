from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from notifications import checks, personal_data  # noqa: F401 - registers them

        # Each domain app declares its kinds in its own notifications.py.
        autodiscover_modules("notifications")

        from core import header
        from notifications.selectors import inbox_unread

        header.register("inbox_unread", inbox_unread)
