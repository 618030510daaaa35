"""The recipient's address and private notes reach only coordinators and helpers with a
confirmed slot. Each test tries to read them as someone who may not: an anonymous visitor, an
outsider, a group member who is not a helper, a helper who released their slot, a helper whose
slot was cancelled, and a helper of another calendar; through every surface: the page, the
helper's feed, emails, error messages, listing and search, the group page and the export."""

import datetime as dt
import json

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_export
from core.exceptions import NotFound, ServiceError
from groups.models import Group
from notifications import delivery, tasks
from notifications.models import Channel, Notification
from tests.factories import GroupFactory, UserFactory
from tests.volunteering.care_setup import (
    ADDRESS,
    DIETARY,
    NOTES,
    add_slot,
    coordinator_of,
    member,
    open_calendar,
)
from volunteering import care_notifications as notices
from volunteering.care import services
from volunteering.care.permissions import can_see_care_private
from volunteering.care_models import CareCalendar

pytestmark = pytest.mark.django_db

SECRETS = (ADDRESS, NOTES, "Juniper", "4512")
NOBODIES = ["anonymous", "outsider", "member", "released", "cancelled", "other_calendar"]
ALLOWED = ["helper", "coordinator"]


@pytest.fixture
def world():
    """A private group's calendar with two slots, and a person in each position."""
    group = GroupFactory(visibility=Group.Visibility.PRIVATE)
    calendar = open_calendar(group=group)
    slot = add_slot(calendar, days=1)
    spare = add_slot(calendar, days=2, capacity=2)
    doomed = add_slot(calendar, days=3)
    people = {
        "anonymous": None,
        "outsider": UserFactory(),
        "member": member(group),
        "released": member(group),
        "cancelled": member(group),
        "other_calendar": member(group),
        "helper": member(group),
        "coordinator": coordinator_of(calendar),
    }
    services.care_slot_take(slot=slot, user=people["helper"])
    signup = services.care_slot_take(slot=spare, user=people["released"])
    services.care_slot_release(signup=signup, actor=people["released"])
    services.care_slot_take(slot=doomed, user=people["cancelled"])
    services.care_slot_cancel(slot=doomed, actor=people["coordinator"])
    other = open_calendar(
        group=group, title="Rides for Ana", address="2 Other Road", private_notes="Ring twice"
    )
    services.care_slot_take(slot=add_slot(other, days=1), user=people["other_calendar"])
    return {"calendar": calendar, "slot": slot, "spare": spare, "people": people}


def assert_secret_free(text: str):
    for secret in SECRETS:
        assert secret not in text


def login(client, user):
    if user is not None:
        client.force_login(user)


@pytest.mark.parametrize("who", NOBODIES)
def test_the_predicate_says_no(world, who):
    assert not can_see_care_private(world["people"][who], world["calendar"])


@pytest.mark.parametrize("who", ALLOWED)
def test_the_predicate_says_yes(world, who):
    assert can_see_care_private(world["people"][who], world["calendar"])


@pytest.mark.parametrize("who", NOBODIES)
def test_the_page_never_shows_them(client, world, who):
    login(client, world["people"][who])
    response = client.get(world["calendar"].get_absolute_url())
    if who in ("anonymous", "outsider"):
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert DIETARY in response.content.decode()
    assert_secret_free(response.content.decode())


@pytest.mark.parametrize("who", ALLOWED)
def test_the_page_shows_them_to_helpers_and_coordinators(client, world, who):
    login(client, world["people"][who])
    body = client.get(world["calendar"].get_absolute_url()).content.decode()
    assert ADDRESS in body
    assert NOTES in body


@pytest.mark.parametrize("who", [w for w in NOBODIES if w != "anonymous"])
def test_the_feed_never_carries_them(client, world, who):
    user = world["people"][who]
    body = client.get(reverse("volunteering:care:feed", args=[user.calendar_token])).content
    assert_secret_free(body.decode())
    if who == "other_calendar":
        assert "2 Other Road" in body.decode()


def test_the_feed_of_a_confirmed_helper_carries_the_address(client, world):
    user = world["people"]["helper"]
    body = client.get(reverse("volunteering:care:feed", args=[user.calendar_token])).content
    (event,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["location"]) == ADDRESS
    assert NOTES in str(event["description"])


def test_a_helper_who_left_the_group_loses_address_and_feed_entry(client, world):
    from groups.models import Membership

    helper = world["people"]["helper"]
    Membership.objects.filter(user=helper, group=world["calendar"].group).delete()
    assert not can_see_care_private(helper, world["calendar"])
    body = client.get(reverse("volunteering:care:feed", args=[helper.calendar_token])).content
    assert_secret_free(body.decode())


def _dispatch(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delivery.notifications_dispatch_due(send_batch=tasks.notifications_send_batch_task.delay)


def _due(user, kind, subject):
    Notification.objects.create(
        recipient=user,
        kind=kind,
        channel=Channel.EMAIL,
        subject=subject,
        send_at=timezone.now() - dt.timedelta(seconds=1),
        lead_time=dt.timedelta(hours=2) if kind == notices.REMINDER else None,
        context={"lead_minutes": 120},
        dedupe_key=f"test:{kind}:{subject}:{user.pk}",
    )


@pytest.mark.parametrize("who", [w for w in NOBODIES if w != "anonymous"])
def test_emails_never_carry_them(world, who, django_capture_on_commit_callbacks):
    user = world["people"][who]
    slot_ref = f"volunteering.careslot:{world['slot'].pk}"
    spare_ref = f"volunteering.careslot:{world['spare'].pk}"
    update = services.care_update_post(
        calendar=world["calendar"], actor=world["people"]["coordinator"], body="Thank you all"
    )
    for kind, subject in (
        (notices.REMINDER, slot_ref),
        (notices.REMINDER, spare_ref),
        (notices.EMPTY_SLOT, spare_ref),
        (notices.UPDATE, f"volunteering.careupdate:{update.pk}"),
    ):
        _due(user, kind, subject)
    mail.outbox.clear()
    _dispatch(django_capture_on_commit_callbacks)
    sent = [message for message in mail.outbox if user.email in message.to]
    # Members who may open the calendar still get the update (without the address).
    assert [m.subject for m in sent] == ([] if who == "outsider" else ["News about Sam"])
    for message in sent:
        assert_secret_free(message.body)
        for content, _type in message.alternatives:
            assert_secret_free(content)


def test_a_confirmed_helpers_reminder_carries_the_address(
    world, django_capture_on_commit_callbacks
):
    helper = world["people"]["helper"]
    _due(helper, notices.REMINDER, f"volunteering.careslot:{world['slot'].pk}")
    mail.outbox.clear()
    _dispatch(django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if helper.email in m.to]
    assert ADDRESS in message.body
    assert NOTES in message.body


@pytest.mark.parametrize("who", ["member", "released", "cancelled", "other_calendar"])
def test_error_messages_never_carry_them(client, world, who):
    user = world["people"][who]
    with pytest.raises(ServiceError) as caught:
        services.care_slot_take(slot=world["slot"], user=user)  # already taken
    assert_secret_free(str(caught.value.messages))
    client.force_login(user)
    url = reverse("volunteering:care:slot_take", args=[world["calendar"].code, world["slot"].pk])
    response = client.post(url, follow=True)
    assert "all the helpers it needs" in response.content.decode()
    assert_secret_free(response.content.decode())


def test_an_outsider_gets_not_found_not_a_reason(client, world):
    outsider = world["people"]["outsider"]
    with pytest.raises(NotFound):
        services.care_slot_take(slot=world["spare"], user=outsider)
    client.force_login(outsider)
    url = reverse("volunteering:care:slot_take", args=[world["calendar"].code, world["slot"].pk])
    response = client.post(url)
    assert response.status_code == 404
    assert_secret_free(response.content.decode())


@pytest.mark.parametrize("who", [w for w in NOBODIES if w != "anonymous"])
def test_listing_and_search_never_show_them(client, world, who):
    user = world["people"][who]
    client.force_login(user)
    for query in ("", "Juniper", "4512", "Sam"):
        body = client.get(reverse("volunteering:care:list"), {"q": query}).content.decode()
        # The search box shows back what was typed; nothing else may.
        assert ADDRESS not in body
        assert NOTES not in body
        if query in ("Juniper", "4512"):
            assert "Meals for Sam" not in body
    listed = client.get(reverse("volunteering:care:list")).content.decode()
    assert ("Meals for Sam" in listed) == (who != "outsider")


def test_even_a_coordinator_cannot_search_by_address(client, world):
    client.force_login(world["people"]["coordinator"])
    body = client.get(reverse("volunteering:care:list"), {"q": "Juniper"}).content.decode()
    assert "Meals for Sam" not in body


@pytest.mark.parametrize("who", [w for w in NOBODIES if w != "anonymous"])
def test_the_export_never_carries_them(world, who):
    user = world["people"][who]
    text = json.dumps(user_export(user=user), default=str)
    assert_secret_free(text)


def test_the_export_of_a_coordinator_and_a_helper_carries_their_slots(world):
    helper_export = user_export(user=world["people"]["helper"])["care_calendars"]
    assert [s["calendar"] for s in helper_export["slots"]] == ["Meals for Sam"]
    released = user_export(user=world["people"]["released"])["care_calendars"]
    assert [s["status"] for s in released["slots"]] == ["released"]
    coordinator = user_export(user=world["people"]["coordinator"])["care_calendars"]
    assert coordinator["calendars_coordinated"][0]["address"] == ADDRESS


def test_an_invited_only_calendar_stays_off_the_group_page_for_members(client, world):
    group = world["calendar"].group
    secret = open_calendar(
        group=group, title="Quiet help for Jo", visibility=CareCalendar.Visibility.INVITED
    )
    client.force_login(world["people"]["member"])
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Meals for Sam" in page
    assert "Quiet help for Jo" not in page
    assert client.get(secret.get_absolute_url()).status_code == 404
    listed = client.get(reverse("volunteering:care:list")).content.decode()
    assert "Quiet help for Jo" not in listed


def test_a_public_groups_page_shows_no_calendar_to_outsiders(client):
    group = GroupFactory(visibility=Group.Visibility.PUBLIC)
    calendar = open_calendar(group=group)
    client.force_login(UserFactory())
    page = client.get(group.get_absolute_url()).content.decode()
    assert "Meals for Sam" not in page
    assert "Care calendars" not in page
    assert client.get(calendar.get_absolute_url()).status_code == 404
    client.logout()
    assert "Meals for Sam" not in client.get(group.get_absolute_url()).content.decode()
