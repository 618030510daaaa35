"""The workspace's volunteering section in a real browser on a phone-sized screen: one tap
checks a volunteer in at a shift (writing their hours), and axe-core on the section's pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.axe import axe_violations
from tests.factories import (
    GroupFactory,
    MembershipFactory,
    RoleFactory,
    ShiftFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from tests.volunteering.hours_setup import sign_up
from volunteering.models import HoursEntry, ShiftSeries

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def pantry():
    organizer = UserFactory(display_name="Olu Organizer")
    group = GroupFactory(organizer=organizer, name="Riverside", slug="riverside")
    project = VolunteerProjectFactory(group=group, title="Pantry", slug="pantry")
    role = RoleFactory(project=project, name="Kitchen")
    shift = ShiftFactory(role=role, starts_at=timezone.now() + dt.timedelta(minutes=20))
    series = ShiftSeries.objects.create(
        role=role,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=3),
        duration=dt.timedelta(hours=2),
        timezone="Europe/London",
    )
    people = {}
    for name in ("Gem Volunteer", "Ravi Helper"):
        user = UserFactory(display_name=name)
        MembershipFactory(group=group, user=user)
        people[name] = sign_up(shift, user)
    HoursEntry.objects.create(
        volunteer=people["Ravi Helper"].user,
        project=project,
        worked_on=timezone.localdate() - dt.timedelta(days=3),
        minutes=120,
        source=HoursEntry.Source.LOGGED,
        logged_by=people["Ravi Helper"].user,
    )
    return {
        "organizer": organizer,
        "group": group,
        "project": project,
        "role": role,
        "shift": shift,
        "series": series,
        "people": people,
    }


def test_organizer_checks_a_volunteer_in_at_a_shift_from_a_phone(page, log_in, pantry):
    page.set_viewport_size(PHONE)
    log_in(pantry["organizer"])
    page.goto(
        reverse("workspace:volunteering_shift", args=["riverside", "pantry", pantry["shift"].pk])
    )
    assert axe_violations(page) == []
    page.get_by_role("button", name="Check in Gem Volunteer").click()
    page.get_by_text("Gem Volunteer is checked in.").wait_for()
    assert axe_violations(page) == []
    entry = HoursEntry.objects.get(
        shift=pantry["shift"], volunteer=pantry["people"]["Gem Volunteer"].user
    )
    assert entry.source == HoursEntry.Source.CHECK_IN
    assert page.get_by_role("button", name="Check in Ravi Helper").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


PAGES = {
    "projects": lambda d: reverse("workspace:volunteering", args=["riverside"]),
    "new project": lambda d: reverse("workspace:volunteering_project_new", args=["riverside"]),
    "project": lambda d: reverse("workspace:volunteering_project", args=["riverside", "pantry"]),
    "edit project": lambda d: reverse(
        "workspace:volunteering_project_edit", args=["riverside", "pantry"]
    ),
    "cancel project": lambda d: reverse(
        "workspace:volunteering_project_cancel", args=["riverside", "pantry"]
    ),
    "role": lambda d: reverse(
        "workspace:volunteering_role_edit", args=["riverside", "pantry", d["role"].pk]
    ),
    "new shift": lambda d: reverse(
        "workspace:volunteering_shift_new", args=["riverside", "pantry"]
    ),
    "shift": lambda d: reverse(
        "workspace:volunteering_shift", args=["riverside", "pantry", d["shift"].pk]
    ),
    "edit shift": lambda d: reverse(
        "workspace:volunteering_shift_edit", args=["riverside", "pantry", d["shift"].pk]
    ),
    "cancel shift": lambda d: reverse(
        "workspace:volunteering_shift_cancel", args=["riverside", "pantry", d["shift"].pk]
    ),
    "stop repeating": lambda d: reverse(
        "workspace:volunteering_series_stop", args=["riverside", "pantry", d["series"].pk]
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_volunteering_workspace_page_has_no_accessibility_violation(page, log_in, pantry, name):
    page.set_viewport_size(PHONE)
    log_in(pantry["organizer"])
    response = page.goto(PAGES[name](pantry))
    assert response.status == 200
    assert axe_violations(page) == []
