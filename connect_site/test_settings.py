"""Test settings: the production module with fast hashing, in-memory email and eager tasks."""

import os

os.environ.setdefault("DEBUG", "true")

from .settings import *  # noqa: F403
from .settings import DATABASES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# TEST_DB_SUFFIX lets several test runs share a machine without sharing a database.
_suffix = os.environ.get("TEST_DB_SUFFIX", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not :memory:) so that threads and worker processes share one database.
    DATABASES["default"]["TEST"] = {"NAME": f"var/test{_suffix}.sqlite3"}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_connect{_suffix}"}
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests serve static files through the finders; there is no collectstatic output to look for.
STATIC_ROOT = None

# Tests build rows with factories, which announce nothing: the page cache is off unless a test
# turns it on (tests/core/test_pagecache.py).
PAGE_CACHE_SECONDS = 0
