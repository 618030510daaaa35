"""The operator's crisis signpost: in the footer and on support and recovery groups' pages."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from core import crisis
from tests.factories import GroupFactory, UserFactory

pytestmark = pytest.mark.django_db

HELPLINES = (
    "United Kingdom|Samaritans|116 123|https://www.samaritans.org;"
    "Spain|Teléfono de la Esperanza|717 003 717"
)


def test_parses_helplines_per_country():
    lines = crisis.parse(HELPLINES)
    assert [(h.country, h.name, h.phone, h.url) for h in lines] == [
        ("United Kingdom", "Samaritans", "116 123", "https://www.samaritans.org"),
        ("Spain", "Teléfono de la Esperanza", "717 003 717", ""),
    ]
    assert lines[0].tel == "116123"


@pytest.mark.parametrize(
    "value",
    ["Samaritans", "UK|Samaritans||", "UK||116 123", "UK|Samaritans|116|javascript:alert(1)"],
)
def test_malformed_setting_is_refused_by_the_check(settings, value):
    with pytest.raises(ImproperlyConfigured):
        crisis.parse(value)
    settings.CRISIS_HELPLINES = value
    assert [e.id for e in crisis.helplines_are_well_formed()] == ["connect.E010"]
    assert crisis.by_country() == []  # a page never fails over it


def test_nothing_is_shown_when_unset(client, settings):
    settings.CRISIS_HELPLINES = ""
    group = GroupFactory(category="support")
    assert "Samaritans" not in client.get(reverse("home")).content.decode()
    assert "Need to talk" not in client.get(group.get_absolute_url()).content.decode()


def test_footer_shows_the_helplines_on_every_page(client, settings):
    settings.CRISIS_HELPLINES = HELPLINES
    for address in [reverse("home"), reverse("groups:list"), reverse("account_login")]:
        html = client.get(address).content.decode()
        assert 'href="tel:116123"' in html
        assert "Teléfono de la Esperanza" in html


@pytest.mark.parametrize(
    ("category", "shown"), [("support", True), ("recovery", True), ("music", False)]
)
def test_support_and_recovery_group_pages_carry_the_signpost(client, settings, category, shown):
    settings.CRISIS_HELPLINES = HELPLINES
    group = GroupFactory(category=category, join_policy="approval", join_question="Why?")
    client.force_login(UserFactory())
    for address in [group.get_absolute_url(), reverse("groups:join", kwargs={"slug": group.slug})]:
        html = client.get(address).content.decode()
        assert ("If you are in crisis" in html) is shown


def test_private_support_group_outsider_page_carries_it(client, settings):
    settings.CRISIS_HELPLINES = HELPLINES
    group = GroupFactory(category="support", visibility="private", listed_when_private=True)
    assert "If you are in crisis" in client.get(group.get_absolute_url()).content.decode()
