"""`make test` runs the suite in pytest-xdist workers: each names its own test database and its
own Redis database (connect_site/test_settings.py)."""

import os

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from connect_site.test_settings import redis_url_for_worker


@pytest.mark.parametrize(
    ("url", "worker", "expected"),
    [
        ("redis://127.0.0.1:6379/9", "gw0", "redis://127.0.0.1:6379/9"),
        ("redis://127.0.0.1:6379/9", "gw1", "redis://127.0.0.1:6379/10"),
        ("redis://127.0.0.1:6379", "gw3", "redis://127.0.0.1:6379/3"),
        ("redis://127.0.0.1:6379/", "gw2", "redis://127.0.0.1:6379/2"),
        (
            "rediss://:secret@cache.example:6380/4?ssl_cert_reqs=none",
            "gw1",
            "rediss://:secret@cache.example:6380/5?ssl_cert_reqs=none",
        ),
    ],
)
def test_a_worker_adds_its_number_to_the_redis_database(url, worker, expected):
    assert redis_url_for_worker(url, worker) == expected


def test_a_redis_url_without_a_database_number_in_its_path_is_refused():
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        redis_url_for_worker("unix:///run/redis.sock?db=2", "gw1")


def test_this_process_uses_the_database_of_its_worker():
    name = settings.DATABASES["default"]["TEST"]["NAME"]
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    suffix = os.environ.get("TEST_DB_SUFFIX", "") + (f"_{worker}" if worker else "")
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        assert name == f"var/test{suffix}.sqlite3"
    else:
        assert name == f"test_connect{suffix}"
    if worker and settings.REDIS_URL:
        assert settings.CACHES["default"]["LOCATION"] == settings.REDIS_URL
        assert settings.CELERY_BROKER_URL == settings.REDIS_URL
        assert redis_url_for_worker(os.environ["REDIS_URL"], worker) == settings.REDIS_URL
