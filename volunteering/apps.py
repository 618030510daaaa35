from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "volunteering"
    verbose_name = _("Volunteering")

    def ready(self):
        # The group page's section, the calendar feed's shifts, personal data, bus listeners;
        # hours: their notice kinds, the profile section and personal data.
        import volunteering.hours.notifications
        import volunteering.hours.personal_data
        import volunteering.hours.profile_section  # noqa: F401
        from volunteering import feeds, group_section, personal_data, subscribers  # noqa: F401
        from volunteering.care.setup import connect as connect_care

        connect_care()
