"""The language a person reads Connect in: the member's profile first, else the switcher's
cookie or the browser's Accept-Language; the switcher works without JavaScript."""

import html

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.languages import current_language, language_of
from accounts.models import User
from accounts.services import user_profile_update
from core.exceptions import ServiceError
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, url=None, **headers):
    response = client.get(url or reverse("events:list"), **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_a_visitor_gets_the_browsers_language(client):
    assert '<html lang="es">' in page(client, HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert "Encuentra un evento" in page(client, HTTP_ACCEPT_LANGUAGE="es")
    english = page(client, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.8")
    assert '<html lang="en">' in english
    assert "Find an event" in english


def test_a_language_the_site_does_not_speak_falls_back_to_english(client):
    assert "Find an event" in page(client, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")


def test_a_members_profile_language_wins_over_the_browser(client):
    member = UserFactory(language="es")
    client.force_login(member)
    spanish = page(client, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="es">' in spanish
    assert "Mis eventos" in spanish


def test_a_member_without_a_language_follows_the_browser(client):
    client.force_login(UserFactory(language=""))
    assert "Mis eventos" in page(client, HTTP_ACCEPT_LANGUAGE="es")
    assert "My events" in page(client, HTTP_ACCEPT_LANGUAGE="en")


def test_every_page_has_the_switcher_with_a_label_and_each_language_in_itself(client):
    html = page(client)
    assert f'action="{reverse("accounts:language")}"' in html
    assert '<label for="site-language">Language</label>' in html
    assert '<option value="es" lang="es">Español</option>' in html
    assert '<option value="en" lang="en" selected>English</option>' in html


def test_a_visitors_switcher_needs_no_csrf_token_and_keeps_the_page_cacheable():
    visitor = Client(enforce_csrf_checks=True)
    html = page(visitor)
    switcher = html[html.index('class="language-form"') :]
    assert "csrfmiddlewaretoken" not in switcher[: switcher.index("</form>")]
    url = reverse("groups:list")
    response = visitor.post(reverse("accounts:language"), {"language": "es", "next": url})
    assert response.status_code == 302
    assert response["Location"] == url
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert "Encuentra un grupo" in page(visitor, url, HTTP_ACCEPT_LANGUAGE="en")


def test_the_switcher_refuses_a_get(client):
    assert client.get(reverse("accounts:language")).status_code == 405


def test_a_members_switch_is_saved_in_the_profile(client):
    member = UserFactory(language="en")
    client.force_login(member)
    response = client.post(reverse("accounts:language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "es"
    # a new device, a new browser: the profile still says Spanish
    other = Client()
    other.force_login(member)
    assert "Mis eventos" in page(other, HTTP_ACCEPT_LANGUAGE="en")


def test_a_members_switch_without_the_csrf_token_is_refused():
    member = UserFactory(language="en")
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(member)
    response = forged.post(reverse("accounts:language"), {"language": "es", "next": "/"})
    assert response.status_code == 403
    member.refresh_from_db()
    assert member.language == "en"


def test_a_members_switch_with_the_token_goes_through():
    member = UserFactory(language="en")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    page(browser)
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    response = browser.post(
        reverse("accounts:language"),
        {"language": "es", "next": "/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "es"


def test_an_unknown_language_changes_nothing(client):
    member = UserFactory(language="es")
    client.force_login(member)
    client.post(reverse("accounts:language"), {"language": "xx", "next": "/"})
    member.refresh_from_db()
    assert member.language == "es"


def test_the_profile_form_sets_and_clears_the_language(client):
    member = UserFactory(language="", display_name="Rosa", timezone="Europe/London")
    client.force_login(member)
    edit = page(client, reverse("accounts:profile_edit"))
    assert '<option value="es">Español</option>' in edit
    data = {"display_name": "Rosa", "timezone": "Europe/London", "language": "es"}
    response = client.post(reverse("accounts:profile_edit"), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.language == "es"
    response = client.post(reverse("accounts:profile_edit"), {**data, "language": ""})
    member.refresh_from_db()
    assert member.language == ""


def test_the_profile_service_refuses_a_language_the_site_does_not_speak():
    member = UserFactory()
    with pytest.raises(ServiceError):
        user_profile_update(user=member, actor=member, language="xx")


def test_signing_up_keeps_the_language_it_was_done_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "nueva@example.com",
            "display_name": "Lucía",
            "password1": "una frase larga y privada",
            "password2": "una frase larga y privada",
        },
        HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9",
    )
    assert response.status_code == 302
    assert User.objects.get(email="nueva@example.com").language == "es"


def test_language_of_falls_back_to_the_sites_language():
    assert language_of(UserFactory(language="es")) == "es"
    assert language_of(UserFactory(language="")) == settings.LANGUAGE_CODE


def test_current_language_reduces_a_regional_variant():
    with translation.override("es-ar"):
        assert current_language() == "es"
    with translation.override("fr"):
        assert current_language() == settings.LANGUAGE_CODE


def test_the_profile_page_says_which_language_was_chosen(client):
    member = UserFactory(language="es")
    client.force_login(member)
    assert '<span lang="es">Español</span>' in page(client, reverse("accounts:profile"))
    member.language = ""
    member.save(update_fields=["language"])
    shown = html.unescape(page(client, reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "My browser's language" in shown


def test_form_errors_come_in_the_members_language(client):
    member = UserFactory(language="es")
    client.force_login(member)
    response = client.post(reverse("accounts:profile_edit"), {"display_name": "Rosa"})
    assert response.status_code == 200
    shown = html.unescape(response.content.decode())
    assert "Este campo es requerido." in shown  # Django's own message (no time zone)
    assert "Corrige los errores de abajo." in shown
    response = client.post(
        reverse("accounts:profile_edit"),
        {"display_name": "Rosa", "timezone": "Europe/London", "bio": "Hola \u202e amigos"},
    )
    shown = html.unescape(response.content.decode())
    # The model's own rule (core.validators), in the member's language.
    assert "Quita los caracteres invisibles que cambian la dirección del texto." in shown


def test_a_service_error_comes_in_the_members_language(client):
    event = EventFactory(group__join_policy="approval")
    client.force_login(UserFactory(language="es"))
    response = client.post(
        reverse("events:rsvp", args=[event.slug]), {"action": "going"}, follow=True
    )
    page = html.unescape(response.content.decode())
    assert (
        "Los organizadores de este grupo aprueban a cada miembro: primero pide unirte al grupo."
        in page
    )
