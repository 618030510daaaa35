"""A newcomer whose browser speaks Spanish, in a real browser: from the home page to an event,
signing up, confirming the address from the email, RSVPing and seeing it under "Mis eventos",
with every page in Spanish and no axe-core violation of any impact on any of them."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail

from events.models import Rsvp
from groups.models import Membership
from tests.browser.axe import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "lucia@example.com"
PASSWORD = "farolillos-del-puerto-47"


@pytest.fixture
def spanish_page(browser, live_server, request):
    """A fresh browser context whose language is Spanish (Accept-Language: es-ES)."""
    context = browser.new_context(base_url=live_server.url, locale="es-ES")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def in_spanish(page, *texts: str) -> None:
    """The page says it is Spanish, shows these texts, and passes axe-core entirely."""
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es", page.url
    body = page.locator("body").inner_text()
    for text in texts:
        assert text in body, f"{text!r} not on {page.url}"
    assert "Skip to main content" not in page.content()
    assert axe_violations(page) == [], page.url


def confirmation_path(message) -> str:
    match = re.search(r"https?://\S+/confirm-email/\S+", message.body)
    assert match, f"no confirmation link in: {message.body!r}"
    link = urlparse(match.group(0))
    return link.path + (f"?{link.query}" if link.query else "")


def test_a_spanish_newcomer_signs_up_and_goes_to_an_event(spanish_page, lantern_walk):
    page, event = spanish_page, lantern_walk

    # From home, "Leeds" in the where box, then the event from the results.
    page.goto("/")
    in_spanish(page, "Encuentra a tu gente, cerca o en línea", "Ver próximos eventos")
    page.get_by_label("Cerca de (pueblo, ciudad o código postal)").fill("Leeds")
    page.get_by_role("button", name="Buscar", exact=True).click()
    page.wait_for_url(re.compile(r"where=Leeds"))
    in_spanish(page, "Encuentra un evento", event.title)
    assert page.get_by_text("Soup night in London").count() == 0
    page.get_by_role("link", name=event.title).first.click()
    page.wait_for_url(re.compile(re.escape(event.get_absolute_url()) + "$"))
    in_spanish(page, "Sobre este evento")

    # "Regístrate para confirmar asistencia", then sign up.
    page.get_by_role("link", name="Regístrate para confirmar asistencia").click()
    in_spanish(page, "Crea tu cuenta")
    page.get_by_label("Nombre visible").fill("Lucía")
    page.get_by_label(re.compile(r"^correo", re.I)).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^contraseña( \(obligatorio\))?$", re.I)).fill(PASSWORD)
    page.get_by_label(re.compile(r"^contraseña \(de nuevo\)", re.I)).fill(PASSWORD)
    page.get_by_role("button", name="Regístrate").click()
    in_spanish(page, "Revisa tu correo")

    # The confirmation email is in Spanish too; confirming lands back on the event, logged in.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert message.subject == "[Connect] Confirma tu dirección de correo"
    assert message.body.startswith("¡Hola desde Connect!")
    page.goto(confirmation_path(message))
    in_spanish(page, "Confirma tu dirección de correo")
    page.get_by_role("button", name="Confirmar").click()
    page.wait_for_url(re.compile(re.escape(event.get_absolute_url()) + "$"))
    in_spanish(page, "Te damos la bienvenida a Connect, Lucía.", "¿Vienes?")
    assert page.get_by_role("button", name="Cerrar sesión").is_visible()
    assert "verte de nuevo" not in page.locator("body").inner_text()

    # "Voy", once: it joins the open group and RSVPs, with no detour through the group page.
    page.get_by_role("button", name="Voy", exact=True).click()
    page.wait_for_url(re.compile(re.escape(event.get_absolute_url()) + "$"))
    in_spanish(page, "Vas a ir.")
    assert Rsvp.objects.get(event=event, user__email=EMAIL).status == Rsvp.Status.GOING
    assert Membership.objects.filter(
        group=event.group, user__email=EMAIL, status=Membership.Status.ACTIVE
    ).exists()

    page.get_by_role("link", name="Mis eventos").click()
    in_spanish(page, "Mis eventos", "Próximamente", "Código de llegada")
    assert page.get_by_role("link", name=event.title).first.is_visible()
