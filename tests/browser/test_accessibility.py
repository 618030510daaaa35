"""axe-core in a real browser: no accessibility violation of any impact on the pages a
visitor sees first."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.services import rsvp_create
from tests.browser.axe import axe_violations
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def choir_rehearsal():
    group = GroupFactory(
        name="Riverside Community Choir",
        slug="riverside-community-choir",
        description="A **no-audition** choir.\n\n- Folk\n- Gospel\n- Pop",
        code_of_conduct="Be kind about mistakes, including your own.",
    )
    return EventFactory(
        group=group,
        title="Choir rehearsal",
        slug="choir-rehearsal",
        description="Warm-ups, then two songs in parts.",
        starts_at=timezone.now() + dt.timedelta(days=3),
        capacity=30,
        step_free_access=True,
    )


PAGES = {
    "home": lambda event: reverse("home"),
    "events": lambda event: reverse("events:list"),
    "event": lambda event: event.get_absolute_url(),
    "group": lambda event: event.group.get_absolute_url(),
    "groups": lambda event: reverse("groups:list"),
    "signup": lambda event: reverse("account_signup"),
    "login": lambda event: reverse("account_login"),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_accessibility_violation(page, choir_rehearsal, name):
    response = page.goto(PAGES[name](choir_rehearsal))
    assert response.status == 200
    assert axe_violations(page) == []


MEMBER_PAGES = {
    "my events": lambda event: reverse("events:mine"),
    "event, going": lambda event: event.get_absolute_url(),
    "group, member": lambda event: event.group.get_absolute_url(),
    "my groups": lambda event: reverse("groups:mine"),
    "profile": lambda event: reverse("accounts:profile"),
}


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_page_has_no_accessibility_violation(page, log_in, choir_rehearsal, name):
    member = UserFactory()
    MembershipFactory(group=choir_rehearsal.group, user=member)
    rsvp_create(event=choir_rehearsal, user=member)
    log_in(member)
    path = MEMBER_PAGES[name](choir_rehearsal)
    response = page.goto(path)
    assert response.status == 200
    assert page.url.endswith(path)
    assert page.get_by_role("button", name="Log out").is_visible()
    assert axe_violations(page) == []
