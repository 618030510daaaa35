"""Words shown to people go through the translation catalogs: with a translation loaded, the
translated text is what appears."""

import datetime as dt
import zoneinfo

import pytest
from django.apps import apps
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real

from core.moderation import moderation_session_start
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def french(monkeypatch, settings):
    """French is active (and offered, so requests asking for it get it); `french(entries)` adds
    translations to its catalog for this test."""
    settings.LANGUAGES = [("en", "English"), ("fr", "French")]

    def add(entries: dict[str, str]) -> None:
        catalog = trans_real.translation("fr")._catalog
        # The first of the catalog's dictionaries is the one lookups try first.
        for source, translated in entries.items():
            monkeypatch.setitem(catalog._catalogs[0], source, translated)

    with translation.override("fr"):
        yield add


@pytest.mark.parametrize(
    ("app", "english", "translated"),
    [
        ("accounts", "Accounts", "Comptes"),
        ("core", "Core", "Noyau"),
        ("events", "Events", "Événements"),
        ("groups", "Groups", "Groupes"),
    ],
)
def test_app_names_are_translated(french, app, english, translated):
    french({english: translated})
    assert str(apps.get_app_config(app).verbose_name) == translated


def test_admin_refusals_are_translated(admin_client, admin_user, french):
    moderation_session_start(actor=admin_user, reason="Helping the organizers")
    french({"%(item)s: %(reason)s": "%(item)s : %(reason)s"})
    ended = timezone.now() - dt.timedelta(days=1)
    event = EventFactory(title="Old walk", starts_at=ended - dt.timedelta(hours=2), ends_at=ended)
    response = admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "cancel_events", "_selected_action": [event.pk]},
        follow=True,
        headers={"accept-language": "fr"},
    )
    assert "Old walk : This event has already ended." in response.text


def test_event_times_use_the_translated_formats(french):
    french({"D j M Y, H:i": "Y-m-d à H\\hi", "H:i": "H\\hi"})
    event = EventFactory(
        timezone="Europe/London",
        starts_at=dt.datetime(2099, 12, 3, 18, 30, tzinfo=LONDON),
        ends_at=dt.datetime(2099, 12, 3, 20, 0, tzinfo=LONDON),
    )
    html = Template("{% load event_tags %}{% event_when event %}").render(Context({"event": event}))
    assert ">2099-12-03 à 18h30</time>\u2013<time " in html
    assert ">20h00</time> (Europe/London)" in html
