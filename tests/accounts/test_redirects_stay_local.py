"""Redirects stay on the site: the language switcher's `next` and Referer, and the `next`
carried by the sign-up and log-in pages, whatever a link or a forged form puts there."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "nxt",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "\\\\evil.example",
    ],
)
@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_language_switcher_never_sends_anyone_off_the_site(client, nxt, who):
    if who == "member":
        client.force_login(UserFactory())
    for language in ("es", "xx", "ñ", ""):
        response = client.post(reverse("accounts:language"), {"language": language, "next": nxt})
        assert response.status_code in (302, 204, 403, 400), response.status_code
        location = response.get("Location", "/")
        assert location.startswith("/"), location
        assert not location.startswith("//"), location
        assert "\\" not in location


def test_the_language_switcher_ignores_a_foreign_referer(client):
    response = client.post(
        reverse("accounts:language"), {"language": "es"}, HTTP_REFERER="https://evil.example/x"
    )
    assert "evil" not in response.get("Location", ""), response.get("Location")


@pytest.mark.parametrize("nxt", ["javascript:alert(1)", "https://evil.example/", "//evil.example"])
def test_signup_and_login_pages_carry_no_foreign_next(client, nxt):
    for name in ("account_signup", "account_login"):
        html = client.get(reverse(name), {"next": nxt}).content.decode()
        assert 'href="javascript' not in html
        assert 'href="//evil' not in html
        assert 'href="https://evil' not in html
