"""Production configuration: `check --deploy` refuses a SITE_URL that would make emails link to
the wrong place; the settings honour EMAIL_URL's folder; every page carries a
Content-Security-Policy; the REST framework lets nobody in by default."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import Error
from django.urls import reverse

from accounts.checks import site_url_is_https
from connect_site.settings import mail_file_path
from tests.commands import manage

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("site_url", "error_id"),
    [
        ("", "connect.E001"),
        ("http://connect.example", "connect.E002"),
        ("http://127.0.0.1:8000", "connect.E002"),
        ("https://", "connect.E002"),
        ("https://connect.example", None),
    ],
)
def test_site_url_must_be_https_in_production(settings, site_url, error_id):
    settings.DEBUG = False
    settings.SITE_URL = site_url
    errors = site_url_is_https()
    assert [e.id for e in errors] == ([error_id] if error_id else [])
    assert all(isinstance(e, Error) for e in errors)


def test_site_url_is_not_checked_in_development(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert site_url_is_https() == []


def _check_deploy(**env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SITE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    environment.update(
        DEBUG="false",
        SECRET_KEY="test-" + "x" * 60 + "-not-a-real-secret-but-long-and-varied-0123456789",
        ALLOWED_HOSTS="connect.example",
        DJANGO_SETTINGS_MODULE="connect_site.settings",
        **env,
    )
    return manage("check", "--deploy", "--fail-level", "WARNING", env=environment)


@pytest.mark.parametrize("site_url", [None, "http://connect.example"])
def test_check_deploy_fails_without_an_https_site_url(site_url):
    result = _check_deploy(**({"SITE_URL": site_url} if site_url else {}))
    assert result.returncode != 0
    assert "SITE_URL" in result.stderr


def test_check_deploy_passes_with_an_https_site_url():
    result = _check_deploy(SITE_URL="https://connect.example")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("filemail:///srv/connect/mail", Path("/srv/connect/mail")),
        ("filemail://var/other-mail", ROOT / "var" / "other-mail"),
        ("filemail://", ROOT / "var" / "mail"),
        ("consolemail://", ROOT / "var" / "mail"),
    ],
)
def test_mail_folder_comes_from_email_url(url, expected):
    assert mail_file_path(url, default=ROOT / "var" / "mail", base_dir=ROOT) == expected


def test_settings_write_mail_where_email_url_says(tmp_path):
    folder = tmp_path / "mail here"
    environment = {**os.environ, "DEBUG": "true", "EMAIL_URL": f"filemail://{folder}"}
    environment.pop("EMAIL_FILE_PATH", None)
    code = (
        "import django; django.setup(); from django.conf import settings;"
        "print(settings.EMAIL_BACKEND); print(settings.EMAIL_FILE_PATH)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**environment, "DJANGO_SETTINGS_MODULE": "connect_site.settings"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    backend, path = result.stdout.strip().splitlines()[-2:]
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert path == str(folder)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/groups/",
        "/no-such-page/",
    ],
)
def test_every_page_carries_a_content_security_policy(client, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_the_429_page_carries_the_policy_too(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": (1, 3600)}
    url = reverse("account_reset_password")
    client.post(url, {"email": "ann@example.com"})
    refused = client.post(url, {"email": "ann@example.com"})
    assert refused.status_code == 429
    assert "default-src 'self'" in refused["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_rest_framework_lets_nobody_in_by_default(rf):
    """An API view that names no permission classes is closed, even to a superuser."""
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from tests.factories import UserFactory

    class Anything(APIView):
        def get(self, request):
            return Response({"ok": True})

    view = Anything.as_view()
    assert view(rf.get("/api/anything")).status_code == 403
    for user in (UserFactory(), UserFactory(is_staff=True, is_superuser=True)):
        request = rf.get("/api/anything")
        request.user = user
        request._dont_enforce_csrf_checks = True
        assert view(request).status_code == 403
