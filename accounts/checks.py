"""`manage.py check --deploy`: refuse a production configuration whose emails would link to the
wrong place (sign-up confirmations, password resets and every notice carry SITE_URL)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def site_url_is_https(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []
    site_url = getattr(settings, "SITE_URL", "") or ""
    parts = urlsplit(site_url)
    if not site_url:
        return [
            Error(
                "SITE_URL is not set.",
                hint="Set SITE_URL to the site's public https address, e.g. "
                "https://connect.example: links in emails are built from it.",
                id="connect.E001",
            )
        ]
    if parts.scheme != "https" or not parts.hostname:
        return [
            Error(
                f"SITE_URL ({site_url}) is not an https address.",
                hint="Set SITE_URL to the site's public https address, e.g. "
                "https://connect.example: links in emails are built from it.",
                id="connect.E002",
            )
        ]
    return []
