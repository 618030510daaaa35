"""Settings for bench/pages.py's gunicorn run: production settings (DEBUG off) on a benchmark
database, plus a bare view at /bench/bare/ to compare pages with, and static files served by
name (no collectstatic needed)."""

from connect_site.settings import *  # noqa: F403
from connect_site.settings import STORAGES

ROOT_URLCONF = "bench.page_urls"
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
