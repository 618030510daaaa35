from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def name_the_site(sender, *, using="default", apps=None, **kwargs):
    """Allauth's emails and pages name the site: make it Connect, at SITE_URL's host. Runs after
    every migrate and flush (django.contrib.sites recreates "example.com" after a flush)."""
    from urllib.parse import urlsplit

    from django.conf import settings

    site_model = (apps or sender.apps).get_model("sites", "Site")
    domain = urlsplit(settings.SITE_URL).netloc or "127.0.0.1:8000"
    site_model.objects.using(using).update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": "Connect"}
    )


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Core")

    def ready(self):
        # core is installed after django.contrib.sites, so this runs after its default site.
        post_migrate.connect(name_the_site, sender=self)
        from core import crisis, pagecache  # noqa: F401 - crisis registers its check

        pagecache.subscribe()
