"""Check-in codes: a signed link per RSVP, as a QR code on "my events" and in the confirmation
email, that only the group's organizers and hosts can use to mark someone arrived."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events.check_in import check_in_token, check_in_url, qr_svg, rsvp_pk_from_token
from events.services import rsvp_create
from groups.models import Membership
from notifications.models import Notification
from tests.factories import EventFactory, GroupFactory, MembershipFactory, RsvpFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer():
    return UserFactory()


@pytest.fixture
def rsvp(organizer):
    group = GroupFactory(organizer=organizer)
    event = EventFactory(group=group, starts_at=timezone.now() + dt.timedelta(hours=1))
    person = UserFactory(display_name="Gem Going")
    MembershipFactory(group=group, user=person)
    return RsvpFactory(event=event, user=person)


def link(rsvp):
    return reverse("events:check_in_link", args=[check_in_token(rsvp)])


def test_token_names_its_rsvp_and_cannot_be_forged(rsvp):
    token = check_in_token(rsvp)
    assert rsvp_pk_from_token(token) == rsvp.pk
    assert rsvp_pk_from_token(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert rsvp_pk_from_token("1") is None
    with time_machine.travel(timezone.now(), tick=False):  # a token carries when it was signed
        assert check_in_url(rsvp).endswith(link(rsvp))


def test_organizer_opens_the_code_and_marks_arrival_with_a_post(client, organizer, rsvp):
    client.force_login(organizer)
    page = client.get(link(rsvp))
    assert page.status_code == 200
    assert "Mark Gem Going arrived" in page.content.decode()
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None  # opening the link changes nothing
    response = client.post(link(rsvp), follow=True)
    assert "Gem Going is checked in." in response.content.decode()
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is not None


def test_host_may_use_the_code(client, rsvp):
    host = UserFactory()
    MembershipFactory(group=rsvp.event.group, user=host, role=Membership.Role.HOST)
    client.force_login(host)
    client.post(link(rsvp))
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is not None


@pytest.mark.parametrize("who", ["attendee", "member", "outsider", "superuser"])
def test_code_is_404_for_anyone_else(client, rsvp, who):
    if who == "attendee":
        user = rsvp.user
    else:
        user = UserFactory(is_superuser=who == "superuser", is_staff=who == "superuser")
        if who == "member":
            MembershipFactory(group=rsvp.event.group, user=user)
    client.force_login(user)
    assert client.get(link(rsvp)).status_code == 404
    assert client.post(link(rsvp)).status_code == 404
    rsvp.refresh_from_db()
    assert rsvp.checked_in_at is None


def test_forged_code_is_404(client, organizer):
    client.force_login(organizer)
    assert client.get(reverse("events:check_in_link", args=["12"])).status_code == 404


def test_logged_out_organizer_logs_in_first(client, rsvp):
    response = client.get(link(rsvp))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_my_events_shows_a_qr_code_for_going_rsvps(client, rsvp):
    client.force_login(rsvp.user)
    text = client.get(reverse("events:mine")).content.decode()
    assert '<svg role="img"' in text
    assert f"<title>Check-in code for {rsvp.event.title}</title>" in text


def test_confirmation_email_carries_the_code(django_capture_on_commit_callbacks, organizer):
    from notifications.tasks import notifications_dispatch_due_task

    group = GroupFactory(organizer=organizer)
    event = EventFactory(group=group)
    person = UserFactory()
    MembershipFactory(group=group, user=person)
    rsvp_create(event=event, user=person)
    assert Notification.objects.filter(recipient=person, kind="events.rsvp_confirmed").exists()
    with django_capture_on_commit_callbacks(execute=True):
        notifications_dispatch_due_task()
    sent = [m for m in mail.outbox if person.email in m.to]
    assert sent
    html = sent[0].alternatives[0][0]
    assert '<svg role="img"' in html


@pytest.fixture
def drawn(monkeypatch):
    """The RSVPs whose codes were drawn (not taken from the cache), in order."""
    from events import check_in

    links = []
    draw = check_in.qr_svg

    def counting(url, *, title):
        links.append(rsvp_pk_from_token(url.rstrip("/").rsplit("/", 1)[-1]))
        return draw(url, title=title)

    monkeypatch.setattr(check_in, "qr_svg", counting)
    return links


def test_my_events_draws_each_code_once_and_shows_each_person_only_their_own(client, drawn):
    from django.core.cache import cache

    cache.clear()
    event = EventFactory()
    first, second = RsvpFactory(event=event), RsvpFactory(event=event)
    with time_machine.travel(timezone.now(), tick=False):
        title = f"Check-in code for {event.title}"
        own = {rsvp.pk: qr_svg(check_in_url(rsvp), title=title) for rsvp in (first, second)}
        pages = {}
        for rsvp in (first, second, first, second):
            client.force_login(rsvp.user)
            pages[rsvp.pk] = client.get(reverse("events:mine")).content.decode()
    # each code drawn on its person's first visit only, then read from the cache
    assert drawn == [first.pk, second.pk]
    assert own[first.pk] != own[second.pk]
    assert own[first.pk] in pages[first.pk]
    assert own[second.pk] not in pages[first.pk]
    assert own[second.pk] in pages[second.pk]
    assert own[first.pk] not in pages[second.pk]


def test_a_renamed_event_draws_a_new_code(client, rsvp, drawn):
    client.force_login(rsvp.user)
    client.get(reverse("events:mine"))
    drawn.clear()
    rsvp.event.title = "Renamed gathering"
    rsvp.event.save()
    text = client.get(reverse("events:mine")).content.decode()
    assert drawn == [rsvp.pk]
    assert "<title>Check-in code for Renamed gathering</title>" in text


def test_no_code_for_a_waitlisted_rsvp_nor_a_cancelled_event(client, rsvp, drawn):
    from events.models import Event, Rsvp

    client.force_login(rsvp.user)
    Rsvp.objects.filter(pk=rsvp.pk).update(status=Rsvp.Status.WAITLISTED, waitlist_position=1)
    assert "<svg" not in client.get(reverse("events:mine")).content.decode()
    Rsvp.objects.filter(pk=rsvp.pk).update(status=Rsvp.Status.GOING, waitlist_position=None)
    Event.objects.filter(pk=rsvp.event_id).update(status=Event.Status.CANCELLED)
    assert "<svg" not in client.get(reverse("events:mine")).content.decode()
    assert drawn == []
