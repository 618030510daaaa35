import uuid

import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits(settings):
    """Each test counts its own attempts: rate-limit counters do not carry over (without
    flushing the cache, which in the Redis pass is the broker's server too)."""
    settings.RATE_LIMIT_KEY_PREFIX = uuid.uuid4().hex


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
