"""axe-core in a real browser: no serious or critical accessibility violation on the pages a
visitor sees first."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone

from tests.factories import EventFactory, GroupFactory

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING = {"serious", "critical"}


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


def blocking_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"])
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


PAGES = {
    "home": lambda event: reverse("home"),
    "events": lambda event: reverse("events:list"),
    "event": lambda event: event.get_absolute_url(),
    "group": lambda event: event.group.get_absolute_url(),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_serious_accessibility_violation(page, choir_rehearsal, name):
    response = page.goto(PAGES[name](choir_rehearsal))
    assert response.status == 200
    assert blocking_violations(page) == []
