"""Care calendars in a real browser: a member of the group takes a slot with the page's own
form (no JavaScript needed) and only then sees the address; axe-core finds no
violation of any impact on the care pages."""

import pytest
from django.urls import reverse

from tests.browser.axe import axe_violations
from tests.volunteering.care_setup import ADDRESS, add_slot, coordinator_of, member, open_calendar
from volunteering.care_models import CareSignup

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def calendar():
    calendar = open_calendar()
    add_slot(calendar, days=2)
    add_slot(calendar, days=3, capacity=2, kind="ride")
    return calendar


def test_a_member_takes_a_slot_and_then_sees_the_address(page, log_in, calendar):
    helper = member(calendar.group)
    log_in(helper)
    page.goto(calendar.get_absolute_url())
    assert ADDRESS not in page.content()
    page.get_by_role("button", name="I'll do this").first.click()
    page.wait_for_url(f"**{calendar.get_absolute_url()}")
    assert "the slot is yours" in page.content()
    assert ADDRESS in page.content()
    assert CareSignup.objects.filter(user=helper, status="confirmed").count() == 1
    assert axe_violations(page) == []


PAGES = {
    "list": lambda c: reverse("volunteering:care:list"),
    "calendar": lambda c: c.get_absolute_url(),
    "new calendar": lambda c: reverse("volunteering:care:new"),
    "add slots": lambda c: reverse("volunteering:care:slot_new", args=[c.code]),
    "edit": lambda c: reverse("volunteering:care:edit", args=[c.code]),
    "coordinators": lambda c: reverse("volunteering:care:coordinators", args=[c.code]),
    "weekly cap": lambda c: reverse("volunteering:care:limit", args=[c.code]),
    "invitation": lambda c: reverse("volunteering:care:invitation", args=[c.invitation_token]),
}


@pytest.mark.parametrize("name", PAGES)
def test_care_page_has_no_accessibility_violation(page, log_in, calendar, name):
    log_in(coordinator_of(calendar))
    response = page.goto(PAGES[name](calendar))
    assert response.status == 200
    assert axe_violations(page) == []
