import uuid

import pytest


@pytest.fixture(autouse=True)
def _own_cache(settings):
    """allauth counts failed logins in the cache: a fresh cache per test keeps tests apart
    (and apart from other test runs sharing a Redis)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"accounts-tests-{uuid.uuid4()}",
        }
    }


@pytest.fixture
def make_user(db):
    """A user with a confirmed primary email address, who can log in with allauth."""
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    def make(**fields):
        user = UserFactory(**fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        return user

    return make


@pytest.fixture
def member(make_user):
    return make_user(email="ann@example.com", display_name="Ann Example")
