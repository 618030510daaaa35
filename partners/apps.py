from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self):
        from partners import personal_data, subscribers  # noqa: F401 - personal_data registers

        subscribers.connect()
        from partners import upkeep

        upkeep.connect()
        from core import header
        from partners.selectors_site import managed_partners_header_count

        header.register("partners_managed", managed_partners_header_count)
