from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = _("Volunteering")

    def ready(self):
        # Hours: notice kinds, the profile section and personal data register themselves.
        from volunteering.hours import (  # noqa: F401
            notifications,
            personal_data,
            profile_section,
        )
