"""In a real browser, on a phone-sized screen: the pages of feeling safe and no surprises (a
private circle's outsider view with the crisis signpost, leaving, the inbox, the signed-in home
page, the group form with its picture) have no accessibility violation of any impact."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from events import notifications as event_notices
from groups.models import Group, Membership
from notifications.models import Channel, Notification
from tests.browser.axe import axe_violations
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
HELPLINES = "United Kingdom|Samaritans|116 123|https://www.samaritans.org"


@pytest.fixture
def world(settings):
    settings.CRISIS_HELPLINES = HELPLINES
    organizer = UserFactory(display_name="Rosa Martínez")
    circle = GroupFactory(
        name="Evening circle",
        category="support",
        organizer=organizer,
        visibility=Group.Visibility.PRIVATE,
        listed_when_private=True,
        join_policy=Group.JoinPolicy.APPROVAL,
        code_of_conduct="Listen without fixing.",
        meeting_pattern="Thursdays 18:30, Chapeltown",
        after_request="Rosa will call you for a short chat first.",
        outsiders_see_conduct=True,
        outsiders_see_facilitators=True,
        outsiders_see_meeting=True,
        outsiders_see_after_request=True,
    )
    member = UserFactory(display_name="Sam")
    choir = GroupFactory(name="Riverside choir", join_policy=Group.JoinPolicy.APPROVAL)
    MembershipFactory(group=choir, user=member)
    MembershipFactory(group=choir, user=organizer, role=Membership.Role.ORGANIZER)
    start = timezone.now() + dt.timedelta(days=3)
    event = EventFactory(
        group=choir, title="Choir rehearsal", starts_at=start, ends_at=start + dt.timedelta(hours=2)
    )
    RsvpFactory(event=event, user=member)
    Notification.objects.create(
        recipient=member,
        kind=event_notices.CONFIRMED,
        channel=Channel.INBOX,
        subject=f"events.event:{event.pk}",
        send_at=timezone.now(),
        sent_at=timezone.now(),
        status=Notification.Status.SENT,
        dedupe_key="browser-safety",
    )
    return {"circle": circle, "choir": choir, "member": member, "organizer": organizer}


def test_a_newcomer_sees_the_circle_and_the_signpost_without_violations(page, world):
    page.set_viewport_size(PHONE)
    page.goto(world["circle"].get_absolute_url())
    assert page.get_by_text("Thursdays 18:30, Chapeltown").is_visible()
    assert page.get_by_role("heading", name="Need to talk to someone now?").is_visible()
    assert axe_violations(page) == []


def test_member_pages_have_no_violations(page, world, log_in):
    page.set_viewport_size(PHONE)
    log_in(world["member"])
    choir = world["choir"]
    for address in [
        reverse("home"),
        choir.get_absolute_url(),
        reverse("groups:leave", kwargs={"slug": choir.slug}),
        reverse("notifications:inbox"),
        reverse("notifications:preferences"),
    ]:
        page.goto(address)
        assert axe_violations(page) == [], address
    page.goto(reverse("groups:leave", kwargs={"slug": choir.slug}))
    assert page.get_by_text("rejoining needs approval").is_visible()
    page.goto(reverse("notifications:inbox"))
    page.get_by_role("link", name="You're going: Choir rehearsal").click()
    page.wait_for_url(f"**{reverse('events:list')}**")


def test_group_form_with_picture_fields_has_no_violations(page, world, log_in):
    page.set_viewport_size(PHONE)
    log_in(world["organizer"])
    page.goto(reverse("groups:edit", kwargs={"slug": world["choir"].slug}))
    assert page.get_by_label("Picture", exact=True).is_visible()
    assert axe_violations(page) == []
