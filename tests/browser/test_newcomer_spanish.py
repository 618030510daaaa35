"""A newcomer whose browser speaks Spanish, in a real browser: from the home page to an event,
signing up, confirming the address from the email, RSVPing and seeing it under "Mis eventos",
with every page in Spanish and no axe-core violation of any impact on any of them."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import mail
from django.utils import timezone

from events.models import Rsvp
from tests.factories import EventFactory, GroupFactory

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


@pytest.fixture
def lantern_walk():
    group = GroupFactory(
        name="Harbour Lantern Walkers",
        slug="harbour-lantern-walkers",
        description="Evening walks along the harbour with paper lanterns.",
    )
    return EventFactory(
        group=group,
        title="Lantern walk along the harbour",
        slug="lantern-walk-along-the-harbour",
        starts_at=(timezone.now() + dt.timedelta(days=5)).replace(second=0, microsecond=0),
        capacity=20,
    )


def violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in results.response["violations"]
    ]


def in_spanish(page, *texts: str) -> None:
    """The page says it is Spanish, shows these texts, and passes axe-core entirely."""
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es", page.url
    body = page.locator("body").inner_text()
    for text in texts:
        assert text in body, f"{text!r} not on {page.url}"
    assert "Skip to main content" not in page.content()
    assert violations(page) == [], page.url


def confirmation_path(message) -> str:
    match = re.search(r"https?://\S+/confirm-email/\S+", message.body)
    assert match, f"no confirmation link in: {message.body!r}"
    return urlparse(match.group(0)).path


def test_a_spanish_newcomer_signs_up_and_goes_to_an_event(spanish_page, lantern_walk):
    page, event = spanish_page, lantern_walk

    page.goto("/")
    in_spanish(page, "Encuentra a tu gente, cerca o en línea", "Ver próximos eventos")

    page.get_by_role("link", name="Eventos", exact=True).click()
    in_spanish(page, "Encuentra un evento")

    page.get_by_role("link", name=event.title).first.click()
    page.wait_for_url(re.compile(re.escape(event.get_absolute_url()) + "$"))
    in_spanish(page, "Sobre este evento", "Inicia sesión para confirmar asistencia")

    page.get_by_role("link", name="Regístrate", exact=True).click()
    in_spanish(page, "Crea tu cuenta")
    page.get_by_label("Nombre visible").fill("Lucía")
    page.get_by_label(re.compile(r"^correo", re.I)).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^contraseña$", re.I)).fill(PASSWORD)
    page.get_by_label(re.compile(r"^contraseña \(", re.I)).fill(PASSWORD)
    page.get_by_role("button", name="Regístrate").click()
    in_spanish(page, "Revisa tu correo")

    # The confirmation email is in Spanish too.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert message.subject == "[Connect] Confirma tu dirección de correo"
    assert message.body.startswith("¡Hola desde Connect!")
    page.goto(confirmation_path(message))
    in_spanish(page, "Confirma tu dirección de correo")
    page.get_by_role("button", name="Confirmar").click()
    page.wait_for_load_state()

    page.goto("/accounts/login/")
    in_spanish(page, "Iniciar sesión")
    page.get_by_label(re.compile(r"^correo", re.I)).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^contraseña$", re.I)).fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Cerrar sesión").is_visible()

    # Today's flow: join the open group from the event page's link, then RSVP.
    page.goto(event.get_absolute_url())
    in_spanish(page, "para confirmar asistencia")
    page.get_by_role("link", name=f"Únete a {event.group.name}").click()
    in_spanish(page, event.group.name, "Unirme al grupo")
    page.get_by_role("button", name="Unirme al grupo").click()
    in_spanish(page, f"¡Te damos la bienvenida a {event.group.name}!")

    page.goto(event.get_absolute_url())
    in_spanish(page, "¿Vienes?")
    page.get_by_role("button", name="Voy", exact=True).click()
    in_spanish(page, "Vas a ir. ¡Nos vemos allí!")
    assert Rsvp.objects.get(event=event, user__email=EMAIL).status == Rsvp.Status.GOING

    page.get_by_role("link", name="Mis eventos").click()
    in_spanish(page, "Mis eventos", "Próximamente", "Código de llegada")
    assert page.get_by_role("link", name=event.title).first.is_visible()
