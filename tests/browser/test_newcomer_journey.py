"""A new visitor's first evening on Connect, in a real browser: from the home page type "Leeds"
in the where box, open an event in Leeds from the results, "Sign up to RSVP", confirm the
address from the outbox, land back on the event logged in, "I'm going"
once (joining the open group on the way), see it under "My events", take the .ics home, and give
the place up after a confirmation. axe-core finds no violation of any impact on these pages."""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar

from events.models import Rsvp
from groups.models import Group, Membership
from tests.browser.axe import axe_violations
from tests.factories import EventFactory, GroupFactory

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "newcomer@example.com"
PASSWORD = "lantern-harbour-47"


def search_leeds_from_home(page, event) -> None:
    """From the home page, type "Leeds" in the where box, submit, and open the event."""
    page.goto(reverse("home"))
    assert axe_violations(page) == []
    page.locator("#home-where").fill("Leeds")
    page.locator("#home-where").press("Enter")
    page.wait_for_url(re.compile(r"where=Leeds"))
    assert page.get_by_text("Soup night in London").count() == 0
    assert axe_violations(page) == []
    page.get_by_role("link", name=event.title).first.click()
    page.wait_for_url(re.compile(re.escape(event.get_absolute_url()) + "$"))


def confirmation_path(message) -> str:
    """The path and query of the confirmation link in a verification email (its host is the
    Site's; the query carries the page to come back to)."""
    match = re.search(r"https?://\S+/confirm-email/\S+", message.body)
    assert match, f"no confirmation link in: {message.body!r}"
    link = urlparse(match.group(0))
    return link.path + (f"?{link.query}" if link.query else "")


def test_newcomer_goes_from_an_event_to_im_going_through_sign_up(page, lantern_walk):
    event = lantern_walk

    # From home, "Leeds" in the where box, then the event from the results.
    search_leeds_from_home(page, event)
    assert axe_violations(page) == []

    # "Sign up to RSVP".
    page.get_by_role("link", name="Sign up to RSVP").click()
    page.wait_for_load_state()
    assert axe_violations(page) == []

    # Sign up.
    page.get_by_label("Display name").fill("Robin")
    page.get_by_label(re.compile(r"^e-?mail", re.I)).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^password( \(required\))?$", re.I)).fill(PASSWORD)
    page.get_by_label(re.compile(r"password \(again\)|confirm password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"sign up", re.I)).click()
    page.wait_for_load_state()
    assert axe_violations(page) == []

    # Confirm the address with the link from the email: back on the event, logged in.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    page.goto(confirmation_path(mail.outbox[0]))
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile(r"confirm", re.I)).click()
    page.wait_for_url(re.compile(re.escape(event.get_absolute_url()) + "$"))
    assert page.get_by_role("button", name="Log out").is_visible()
    assert page.get_by_text("Welcome to Connect, Robin.").is_visible()
    assert page.get_by_text("Welcome back").count() == 0
    assert axe_violations(page) == []

    # "I'm going", once: it joins the open group and RSVPs.
    page.get_by_role("button", name="I'm going").click()
    page.wait_for_load_state()
    assert Rsvp.objects.get(event=event, user__email=EMAIL).status == Rsvp.Status.GOING
    assert Membership.objects.filter(
        group=event.group, user__email=EMAIL, status=Membership.Status.ACTIVE
    ).exists()
    assert page.get_by_text("You're going.", exact=True).is_visible()
    assert axe_violations(page) == []

    # It is listed under "My events".
    page.get_by_role("link", name="My events").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name=event.title).first.is_visible()
    assert axe_violations(page) == []

    # The calendar file from the event page.
    page.goto(event.get_absolute_url())
    ics_link = page.locator('a[href$=".ics"]').first
    response = page.request.get(ics_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.body())
    vevents = calendar.walk("VEVENT")
    assert [str(v["SUMMARY"]) for v in vevents] == [event.title]
    assert vevents[0].decoded("DTSTART") == event.starts_at

    # "I can't go after all" asks first, on a page of its own.
    page.get_by_role("link", name="I can't go after all").click()
    page.wait_for_load_state()
    assert page.get_by_text("You will give up your place on").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Yes, give up my place").click()
    page.wait_for_load_state()
    assert Rsvp.objects.get(event=event, user__email=EMAIL).status == Rsvp.Status.NOT_GOING


def test_a_group_with_a_code_of_conduct_asks_to_accept_it_when_going(page, log_in, lantern_walk):
    from tests.factories import UserFactory

    event = lantern_walk
    Group.objects.filter(pk=event.group_id).update(code_of_conduct="Walk at the pace of the group.")
    log_in(UserFactory(display_name="Kim"))
    page.goto(event.get_absolute_url())
    page.get_by_role("button", name="I'm going").click()
    page.wait_for_load_state()
    assert page.get_by_text("Accept the group's code of conduct to join it.").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("I have read the group's code of conduct and I accept it").check()
    page.get_by_role("button", name="I'm going").click()
    page.wait_for_load_state()
    assert Rsvp.objects.get(event=event, user__display_name="Kim").status == Rsvp.Status.GOING


def test_a_private_groups_event_shows_the_gate_page(page):
    group = GroupFactory(name="Quiet Circle", visibility=Group.Visibility.PRIVATE)
    event = EventFactory(group=group, title="Hidden evening", slug="hidden-evening")
    response = page.goto(event.get_absolute_url())
    assert response.status == 404
    assert page.get_by_role("heading", name="We can't show you this event").is_visible()
    assert page.get_by_text("Hidden evening").count() == 0
    assert axe_violations(page) == []
