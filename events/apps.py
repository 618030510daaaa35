from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events")

    def ready(self):
        import events.group_section  # noqa: F401 - the group page's events section
        from events import personal_data, subscribers  # noqa: F401 - registers listeners
