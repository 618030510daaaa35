"""Test settings: the production module with fast hashing, in-memory email and eager tasks."""

import os
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DEBUG", "true")

from .settings import *  # noqa: F403
from .settings import CACHES, DATABASES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
AXES_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# TEST_DB_SUFFIX lets several test runs share a machine without sharing a database; under
# pytest-xdist each worker process (gw0, gw1, ...) adds its name, so that parallel workers never
# share a database either (tests/conftest.py turns pytest-django's own suffixing off).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_suffix = os.environ.get("TEST_DB_SUFFIX", "") + (f"_{_worker}" if _worker else "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (not :memory:) so that threads and worker processes share one database.
    DATABASES["default"]["TEST"] = {"NAME": f"var/test{_suffix}.sqlite3"}
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_connect{_suffix}"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The same backend, emptying the tables after a transactional test with DELETE, not TRUNCATE
    # (tests/postgresql_backend/base.py says why).
    DATABASES["default"]["ENGINE"] = "tests.postgresql_backend"


def redis_url_for_worker(url: str, worker: str) -> str:
    """REDIS_URL's database number plus the worker's number: redis://host/9 is database 9 for
    gw0 and 10 for gw1. The cache and the broker of a worker (and of the Celery processes its
    integration tests start) are then its own, and a test that clears the cache clears only its
    worker's (Redis offers 16 databases unless configured otherwise)."""
    parts = urlsplit(url)
    if parts.scheme not in {"redis", "rediss"}:
        raise ImproperlyConfigured(f"Parallel tests need a redis:// REDIS_URL, not {url!r}.")
    base = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{base + int(worker.removeprefix('gw'))}"))


if REDIS_URL and _worker:
    REDIS_URL = redis_url_for_worker(REDIS_URL, _worker)
    CACHES["default"]["LOCATION"] = REDIS_URL
    CELERY_BROKER_URL = REDIS_URL
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests serve static files through the finders; there is no collectstatic output to look for.
STATIC_ROOT = None

# Tests build rows with factories, which announce nothing: the page cache is off unless a test
# turns it on (tests/core/test_pagecache.py).
PAGE_CACHE_SECONDS = 0
EVENT_CARD_CACHE_SECONDS = 0
