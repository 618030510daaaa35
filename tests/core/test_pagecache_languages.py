"""The anonymous page cache keeps one copy per language: a Spanish visitor never gets the English
page another visitor put in the cache, nor the other way round, however the language was chosen
(the browser's Accept-Language or the switcher's cookie)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def visit(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("first", ["en", "es"])
def test_a_cached_page_goes_only_to_visitors_of_its_language(client, first):
    event = EventFactory()
    second = "es" if first == "en" else "en"
    words = {"en": "Find an event", "es": "Encuentra un evento"}
    for url in (reverse("home"), reverse("events:list"), event.get_absolute_url()):
        visit(client, url, first)
        cached = visit(client, url, first)
        assert cached["X-Page-Cache"] == "hit", url
        other = visit(client, url, second)
        assert "X-Page-Cache" not in other, url
        assert other["Content-Language"] == second
        assert f'<html lang="{second}">' in other.content.decode()
        assert f'<html lang="{first}">' not in other.content.decode()
        again = visit(client, url, second)
        assert again["X-Page-Cache"] == "hit"
        assert f'<html lang="{second}">' in again.content.decode()
    page = visit(client, reverse("events:list"), first).content.decode()
    assert words[first] in page
    assert words[second] not in page


def test_the_switchers_cookie_picks_the_cached_copy_of_its_language(client):
    url = reverse("events:list")
    visit(client, url, "en")
    assert visit(client, url, "en")["X-Page-Cache"] == "hit"
    client.post(reverse("accounts:language"), {"language": "es", "next": url})
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    spanish = visit(client, url, "en")  # the cookie wins over the browser
    assert "X-Page-Cache" not in spanish
    assert "Encuentra un evento" in spanish.content.decode()
    assert visit(client, url, "en")["X-Page-Cache"] == "hit"
