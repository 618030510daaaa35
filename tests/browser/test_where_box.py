"""The "where" box in a real browser: from the home page a newcomer types "Leeds" (suggestions
come as they type) and sees the events in Leeds, not London's; without JavaScript a misspelt
town gets a "did you mean" link that leads to the same events."""

import re

import pytest
from django.urls import reverse

from core import places
from tests.browser.axe import axe_violations
from tests.factories import EventFactory, GroupFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def towns():
    places.gazetteer()  # loaded once per process: not inside the browser's wait
    EventFactory(
        group=GroupFactory(name="Chapeltown Walkers", city="Leeds"),
        title="Canal walk in Leeds",
        latitude=53.80,
        longitude=-1.55,
    )
    EventFactory(
        group=GroupFactory(name="Camden Cooks", city="London"),
        title="Soup night in London",
        latitude=51.51,
        longitude=-0.13,
    )


def test_typing_leeds_on_the_home_page_finds_an_event_in_leeds(page, towns):
    page.goto(reverse("home"))
    assert axe_violations(page) == []
    where = page.get_by_label("Near (town, city or postcode)")
    where.press_sequentially("Lee", delay=50)
    # where.js fills a <datalist> from /places/suggest/.
    page.wait_for_selector("datalist option[value='Leeds, GB']", state="attached")
    where.fill("Leeds")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"where=Leeds"))
    assert page.get_by_role("link", name="Canal walk in Leeds").is_visible()
    assert page.get_by_text("Soup night in London").count() == 0
    assert axe_violations(page) == []


def test_without_javascript_a_misspelt_town_offers_did_you_mean(browser, live_server, towns):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(reverse("events:list"))
        page.get_by_label("Near").fill("Leds")
        page.get_by_label("Near").press("Enter")
        page.wait_for_load_state()
        assert page.get_by_text("Did you mean:").is_visible()
        page.get_by_role("link", name="Leeds, GB").click()
        page.wait_for_load_state()
        assert page.get_by_role("link", name="Canal walk in Leeds").is_visible()
        assert page.get_by_text("Soup night in London").count() == 0
    finally:
        context.close()
