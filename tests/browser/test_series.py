"""A regular in a real browser on a phone-sized screen: the event list shows the choir once,
"Go every week" from a date's page through its confirmation page, the "going" badges, then
stopping; axe-core on each page on the way."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Rsvp, SeriesRsvp
from events.services import event_series_create
from groups.models import Membership
from tests.browser.axe import axe_violations
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def choir():
    group = GroupFactory(name="Leeds choir")
    organizer = MembershipFactory(group=group, role=Membership.Role.ORGANIZER).user
    series = event_series_create(
        group=group,
        actor=organizer,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=2),
        title="Choir rehearsal",
        category="music",
        timezone="Europe/London",
        venue_name="Chapel",
        horizon_days=30,
    )
    member = UserFactory(display_name="Rosa Regular")
    MembershipFactory(group=group, user=member)
    return {"series": series, "member": member}


def test_a_regular_goes_every_week_and_stops(page, log_in, choir):
    page.set_viewport_size(PHONE)
    log_in(choir["member"])
    page.goto(reverse("events:list"))
    assert page.get_by_role("link", name="Choir rehearsal").count() == 1
    assert page.get_by_text("Weekly · next").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Choir rehearsal").click()
    page.get_by_role("link", name="Go every week").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Go to every date")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Go every week").click()
    page.get_by_text("You're going to every date.").wait_for()
    dates = Event.objects.filter(series=choir["series"]).count()
    assert Rsvp.objects.filter(user=choir["member"], status=Rsvp.Status.GOING).count() == dates

    page.goto(reverse("events:list"))
    assert page.get_by_text("You go to every date").is_visible()
    assert page.locator(".badge-going").count() >= 4

    page.get_by_role("link", name="Choir rehearsal").click()
    page.get_by_role("link", name="Stop going every week").click()
    assert page.get_by_text("You will give up your place on").first.is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Stop going every week").click()
    page.get_by_text("You no longer go to every date").wait_for()
    assert SeriesRsvp.objects.get(user=choir["member"]).ended_at is not None
    assert not Rsvp.objects.filter(user=choir["member"], status=Rsvp.Status.GOING).exists()
