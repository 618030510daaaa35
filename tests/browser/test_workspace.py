"""The organizer workspace in a real browser on a phone-sized screen: checking someone in from
the door list and by their code's link, and axe-core on the workspace's pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.check_in import check_in_token
from events.models import Rsvp, WalkIn
from groups.models import Membership, Report
from groups.reports import report_create
from tests.browser.axe import axe_violations
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def door():
    organizer = UserFactory(display_name="Olu Organizer")
    group = GroupFactory(organizer=organizer, name="Recovery circle", slug="recovery-circle")
    event = EventFactory(
        group=group,
        title="Tuesday circle",
        slug="tuesday-circle",
        starts_at=timezone.now() + dt.timedelta(minutes=30),
        guests_allowed=2,
    )
    people = {}
    for name, guests in (("Gem Going", 1), ("Ravi Early", 0)):
        user = UserFactory(display_name=name)
        MembershipFactory(group=group, user=user)
        people[name] = RsvpFactory(event=event, user=user, guests=guests)
    past = EventFactory(
        group=group, title="Last week", starts_at=timezone.now() - dt.timedelta(days=7)
    )
    RsvpFactory(event=past, user=people["Gem Going"].user, checked_in_at=past.starts_at)
    MembershipFactory(group=group, status=Membership.Status.PENDING, joined_at=None)
    return {"organizer": organizer, "group": group, "event": event, "people": people, "past": past}


def test_organizer_checks_in_from_the_phone_list_and_adds_a_walk_in(page, log_in, door):
    page.set_viewport_size(PHONE)
    log_in(door["organizer"])
    page.goto(reverse("workspace:check_in", args=["recovery-circle", "tuesday-circle"]))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Mark Gem Going arrived").click()
    page.get_by_text("Gem Going is checked in.").wait_for()
    assert axe_violations(page) == []
    assert page.get_by_role("button", name="Undo check-in of Gem Going").is_visible()
    assert Rsvp.objects.get(pk=door["people"]["Gem Going"].pk).checked_in_at is not None
    # The list fits a phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("Name of someone who came without an RSVP").fill("Sam from next door")
    page.get_by_role("button", name="Add walk-in").click()
    page.get_by_text("Sam from next door is added as a walk-in.").wait_for()
    assert WalkIn.objects.filter(event=door["event"], name="Sam from next door").exists()
    assert axe_violations(page) == []


def test_organizer_checks_in_by_the_code_link(page, log_in, door):
    page.set_viewport_size(PHONE)
    log_in(door["organizer"])
    rsvp = door["people"]["Ravi Early"]
    page.goto(reverse("events:check_in_link", args=[check_in_token(rsvp)]))
    assert axe_violations(page) == []
    page.get_by_role("button", name="Mark Ravi Early arrived").click()
    page.get_by_text("Ravi Early is checked in.").wait_for()
    assert Rsvp.objects.get(pk=rsvp.pk).checked_in_at is not None
    assert axe_violations(page) == []


def _with_a_report(d):
    """The reports page with one report to decide (filed by one person going about another)."""
    reported = d["people"]["Gem Going"].user
    report_create(
        actor=d["people"]["Ravi Early"].user,
        group=d["group"],
        about=Report.About.MEMBER,
        subject=reported,
        reported_user=reported,
        reason="Shouted at the door.",
    )
    return reverse("workspace:reports", args=[d["group"].slug])


WORKSPACE_PAGES = {
    "reports": _with_a_report,
    "message chosen": lambda d: (
        reverse("workspace:group_message", args=[d["group"].slug])
        + f"?chosen=1&to={d['people']['Gem Going'].user_id}"
    ),
    "report a member": lambda d: reverse(
        "groups:member_report", args=[d["group"].slug, d["people"]["Gem Going"].user_id]
    ),
    "contact the organizers": lambda d: reverse("groups:contact", args=[d["group"].slug]),
    "index": lambda d: reverse("workspace:index"),
    "dashboard": lambda d: reverse("workspace:dashboard", args=[d["group"].slug]),
    "events": lambda d: reverse("workspace:events", args=[d["group"].slug]),
    "event": lambda d: reverse("workspace:event", args=[d["group"].slug, d["event"].slug]),
    "past event": lambda d: reverse("workspace:event", args=[d["group"].slug, d["past"].slug]),
    "check-in": lambda d: reverse("workspace:check_in", args=[d["group"].slug, d["event"].slug]),
    "sign-in sheet": lambda d: reverse(
        "workspace:sign_in_sheet", args=[d["group"].slug, d["event"].slug]
    ),
    "members": lambda d: reverse("workspace:members", args=[d["group"].slug]),
    "member role": lambda d: reverse(
        "workspace:member_role", args=[d["group"].slug, d["people"]["Gem Going"].user_id]
    ),
    "remove": lambda d: reverse(
        "workspace:member_remove", args=[d["group"].slug, d["people"]["Gem Going"].user_id]
    ),
    "ban": lambda d: reverse(
        "workspace:member_ban", args=[d["group"].slug, d["people"]["Gem Going"].user_id]
    ),
    "attendance": lambda d: reverse(
        "workspace:member_attendance", args=[d["group"].slug, d["people"]["Gem Going"].user_id]
    ),
    "activity": lambda d: reverse("workspace:activity", args=[d["group"].slug]),
    "message members": lambda d: reverse("workspace:group_message", args=[d["group"].slug]),
    "message event": lambda d: reverse(
        "workspace:event_message", args=[d["group"].slug, d["event"].slug]
    ),
    "code link": lambda d: reverse(
        "events:check_in_link", args=[check_in_token(d["people"]["Gem Going"])]
    ),
}


@pytest.mark.parametrize("name", WORKSPACE_PAGES)
def test_workspace_page_has_no_accessibility_violation(page, log_in, door, name):
    page.set_viewport_size(PHONE)
    log_in(door["organizer"])
    response = page.goto(WORKSPACE_PAGES[name](door))
    assert response.status == 200
    assert axe_violations(page) == []


def test_my_events_with_check_in_code_has_no_accessibility_violation(page, log_in, door):
    log_in(door["people"]["Gem Going"].user)
    page.goto(reverse("events:mine"))
    page.get_by_text("Check-in code", exact=True).click()
    assert page.locator("svg.qr-code").is_visible()
    assert axe_violations(page) == []
