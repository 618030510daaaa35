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
