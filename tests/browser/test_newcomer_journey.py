"""A new visitor's first evening on Connect, in a real browser: sign up, confirm the address,
log in, find an event, join its group, RSVP, see it under "My events", take the .ics home."""

import datetime as dt
import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from events.models import Rsvp
from groups.models import Membership
from tests.factories import EventFactory, GroupFactory

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "newcomer@example.com"
PASSWORD = "lantern-harbour-47"


@pytest.fixture
def lantern_walk():
    group = GroupFactory(
        name="Harbour Lantern Walkers",
        slug="harbour-lantern-walkers",
        description="Evening walks along the harbour with paper lanterns.",
    )
    return EventFactory(
        group=group,
        title="Lantern walk along the harbour",
        slug="lantern-walk-along-the-harbour",
        starts_at=(timezone.now() + dt.timedelta(days=5)).replace(second=0, microsecond=0),
        capacity=20,
    )


def confirmation_path(message) -> str:
    """The path of the confirmation link in a verification email (its host is the Site's)."""
    match = re.search(r"https?://\S+/confirm-email/\S+", message.body)
    assert match, f"no confirmation link in: {message.body!r}"
    return urlparse(match.group(0)).path


def test_newcomer_signs_up_joins_rsvps_and_downloads_the_calendar_file(page, lantern_walk):
    event = lantern_walk

    # Sign up from the home page.
    page.goto("/")
    page.get_by_role("link", name="Sign up", exact=True).click()
    page.get_by_label("Display name").fill("Robin")
    page.get_by_label(re.compile(r"^e-?mail", re.I)).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^password$", re.I)).fill(PASSWORD)
    page.get_by_label(re.compile(r"password \(again\)|confirm password", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"sign up", re.I)).click()
    page.wait_for_load_state()

    # Confirm the address with the link from the email.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    page.goto(confirmation_path(mail.outbox[0]))
    page.get_by_role("button", name=re.compile(r"confirm", re.I)).click()
    page.wait_for_load_state()

    # Log in.
    page.goto("/accounts/login/")
    page.get_by_label(re.compile(r"^e-?mail", re.I)).first.fill(EMAIL)
    page.get_by_label(re.compile(r"^password$", re.I)).fill(PASSWORD)
    page.get_by_role("button", name=re.compile(r"^(log|sign) in$", re.I)).click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Log out").is_visible()

    # Find the event through the search on /events/.
    page.get_by_role("link", name="Events", exact=True).click()
    search = page.get_by_role("search").get_by_label("Search", exact=True)
    search.fill("lantern")
    search.press("Enter")
    page.wait_for_load_state()
    assert "lantern" in page.url
    page.get_by_role("link", name=event.title).first.click()
    page.wait_for_url(re.compile(re.escape(event.get_absolute_url()) + "$"))

    # Join its group from the group's page.
    page.get_by_role("link", name=event.group.name).first.click()
    page.get_by_role("button", name=re.compile(r"^join", re.I)).click()
    page.wait_for_load_state()
    assert Membership.objects.filter(
        group=event.group, user__email=EMAIL, status=Membership.Status.ACTIVE
    ).exists()

    # RSVP on the event page.
    page.goto(event.get_absolute_url())
    page.get_by_role("button", name=re.compile(r"going|rsvp|attend", re.I)).first.click()
    page.wait_for_load_state()
    assert Rsvp.objects.get(event=event, user__email=EMAIL).status == Rsvp.Status.GOING

    # It is listed under "My events".
    page.get_by_role("link", name="My events").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name=event.title).first.is_visible()

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
