"""Volunteering in a real browser: a newcomer finds a shift, accepts the agreement, signs up and
sees it under "My shifts"; axe-core finds no violation of any impact on the volunteering
pages."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.axe import axe_violations
from tests.factories import RoleFactory, ShiftFactory, UserFactory, VolunteerProjectFactory
from volunteering.models import ShiftSignup
from volunteering.services import signup_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kitchen_shift():
    project = VolunteerProjectFactory(
        title="Riverside Food Bank",
        slug="riverside-food-bank",
        description="We pack **food parcels** every Saturday.",
        skills="cooking, driving",
        waiver_text="I will follow the food safety guidance.",
        waiver_version=1,
        minimum_age=16,
    )
    role = RoleFactory(project=project, name="Kitchen", description="Pack parcels.")
    return ShiftFactory(
        role=role,
        starts_at=(timezone.now() + dt.timedelta(days=4)).replace(second=0, microsecond=0),
        capacity=4,
    )


def test_newcomer_finds_a_shift_accepts_the_waiver_signs_up_and_sees_it(
    page, log_in, kitchen_shift
):
    person = UserFactory(display_name="Robin")
    log_in(person)

    page.goto(reverse("volunteering:list"))
    page.get_by_role("textbox", name="Search").fill("food")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=food"))
    assert axe_violations(page) == []
    page.get_by_role("link", name="Riverside Food Bank").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []
    page.get_by_role("link", name=re.compile(r"See and sign up")).first.click()
    page.wait_for_load_state()

    assert page.get_by_text("I will follow the food safety guidance.").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("I have read and accept the agreement").check()
    page.get_by_label("I am at least 16 years old").check()
    page.get_by_role("button", name="Sign up").click()

    assert page.get_by_text("You're signed up for this shift.").is_visible()
    assert axe_violations(page) == []
    signup = ShiftSignup.objects.get(user=person)
    assert signup.status == ShiftSignup.Status.SIGNED_UP
    assert signup.age_consent == ShiftSignup.AgeConsent.CONFIRMED

    page.goto(reverse("volunteering:mine"))
    assert page.get_by_role("link", name="Kitchen: Riverside Food Bank").is_visible()
    assert axe_violations(page) == []


PAGES = {
    "browse": lambda shift: reverse("volunteering:list"),
    "project": lambda shift: shift.role.project.get_absolute_url(),
    "shift": lambda shift: shift.get_absolute_url(),
}


@pytest.mark.parametrize("name", PAGES)
def test_volunteering_page_has_no_accessibility_violation(page, kitchen_shift, name):
    response = page.goto(PAGES[name](kitchen_shift))
    assert response.status == 200
    assert axe_violations(page) == []


@pytest.mark.parametrize("name", ["shift, sign-up step", "shift, signed up", "my shifts"])
def test_volunteer_pages_have_no_accessibility_violation(page, log_in, kitchen_shift, name):
    person = UserFactory()
    if name != "shift, sign-up step":
        signup_create(shift=kitchen_shift, user=person, accept_waiver=True, age_confirmed=True)
    log_in(person)
    path = reverse("volunteering:mine") if name == "my shifts" else kitchen_shift.get_absolute_url()
    response = page.goto(path)
    assert response.status == 200
    assert axe_violations(page) == []
