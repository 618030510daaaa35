"""A registration a partner asked for, answered in a real browser at phone width: logged out
the page declines; logged in with the address it accepts and lands on the event; axe-core
finds no violation of any impact."""

import pytest

from core.actors import Actor
from events.models import Rsvp
from partners import services
from partners.models import Registration
from tests.browser.axe import axe_violations
from tests.factories import EventFactory, UserFactory
from tests.partners.conftest import Partner

pytestmark = pytest.mark.django_db(transaction=True)


def _registration(partner, event, email):
    client = partner.organization.clients.get(can_write=True)
    actor = Actor.client(client_id=client.pk, name="x", managed_group_ids={partner.group.pk})
    registration, _created = services.registration_create(
        client=client, actor=actor, email=email, consent=True, event=event
    )
    url = f"/partners/registrations/{services.registration_token(registration)}/"
    return registration, url


def test_a_person_declines_logged_out_and_another_accepts_logged_in(page, log_in):
    page.set_viewport_size({"width": 375, "height": 800})
    partner = Partner("demo-partner", visibility="private")
    event = EventFactory(group=partner.group, title="Open rehearsal")
    first, first_url = _registration(partner, event, "sam@example.org")
    page.goto(first_url)
    assert page.get_by_role("heading", name="Confirm your registration").is_visible()
    assert "Open rehearsal" in page.content()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Decline").click()
    assert page.get_by_text("You declined").first.is_visible()
    first.refresh_from_db()
    assert first.status == Registration.Status.DECLINED

    second, second_url = _registration(partner, event, "kim@example.org")
    kim = UserFactory(email="kim@example.org")
    log_in(kim)
    page.goto(second_url)
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
    assert Rsvp.objects.get(user=kim).status == Rsvp.Status.GOING
    second.refresh_from_db()
    assert (second.status, second.outcome) == ("accepted", "going")
