"""The catalogue's RSVP, sign-up and hours types: snapshots in the API's own shape, built from
the activity log (RSVPs: from the events app's announcements, as an attendee's own RSVP writes
no activity row), only for the partner's own organization, delivered signed to a real server."""

import datetime as dt

import pytest
from django.utils import timezone
from standardwebhooks import Webhook

from core.actors import Actor
from core.models import Activity
from events.services import event_update, rsvp_cancel, rsvp_create
from partners.models import WebhookDelivery, WebhookEndpoint
from partners.webhooks import CATALOGUE
from tests.factories import (
    EventFactory,
    MembershipFactory,
    RoleFactory,
    ShiftFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from tests.partners.test_webhooks import dispatch, receiver  # noqa: F401 - fixture
from volunteering.hours.services import hours_entry_log, hours_entry_reject, hours_entry_verify
from volunteering.services import signup_create, signup_withdraw

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


@pytest.fixture
def every_type(partner, receiver, settings):  # noqa: F811
    settings.PARTNER_WEBHOOKS_ALLOW_HTTP = True
    endpoint = WebhookEndpoint(
        organization=partner.organization, url=receiver.url, event_types=sorted(CATALOGUE)
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def member_of(group, **kwargs):
    person = UserFactory(**kwargs)
    MembershipFactory(group=group, user=person)
    return person


def payloads(event_type):
    return [
        row.payload for row in WebhookDelivery.objects.filter(event_type=event_type).order_by("pk")
    ]


def test_the_catalogue_declares_every_type_of_the_issue():
    assert set(CATALOGUE) == {
        "event.created",
        "event.updated",
        "event.cancelled",
        "rsvp.created",
        "rsvp.cancelled",
        "signup.created",
        "signup.cancelled",
        "hours.verified",
    }


def test_rsvp_created_and_cancelled_carry_the_rsvp_and_its_event(partner, every_type):
    event = EventFactory(group=partner.group, capacity=10)
    person = member_of(partner.group, display_name="Ada Lovelace", show_first_name_only=True)
    rsvp = rsvp_create(event=event, user=person)
    [created] = payloads("rsvp.created")
    assert created["data"]["id"] == rsvp.pk
    assert created["data"]["status"] == "going"
    assert created["data"]["name"] == "Ada"
    assert created["data"]["event"]["id"] == event.pk
    assert created["data"]["event"]["going_count"] == 1
    rsvp_cancel(rsvp=rsvp, actor=person)
    [cancelled] = payloads("rsvp.cancelled")
    assert cancelled["data"]["status"] == "not_going"
    assert cancelled["data"]["event"]["going_count"] == 0
    assert "@" not in str(created) + str(cancelled)


def test_signup_types_are_built_from_the_activity_rows(partner, every_type):
    shift = ShiftFactory(role=RoleFactory(project=VolunteerProjectFactory(group=partner.group)))
    person = member_of(partner.group)
    signup = signup_create(shift=shift, user=person)
    [created] = payloads("signup.created")
    row = Activity.objects.get(verb="shift_signup.created")
    assert created["activity_id"] == row.pk
    assert created["data"]["id"] == signup.pk
    assert created["data"]["status"] == "signed_up"
    assert created["data"]["shift"]["id"] == shift.pk
    assert created["data"]["shift"]["signed_up_count"] == 1
    signup_withdraw(signup=signup, actor=person)
    [cancelled] = payloads("signup.cancelled")
    assert cancelled["activity_id"] == Activity.objects.get(verb="shift_signup.withdrawn").pk
    assert cancelled["data"]["status"] == "withdrawn"
    assert cancelled["data"]["shift"]["signed_up_count"] == 0


def test_hours_verified_not_rejected(partner, every_type):
    project = VolunteerProjectFactory(group=partner.group)
    person = member_of(partner.group)
    first, second = (
        hours_entry_log(
            volunteer=person,
            project=project,
            worked_on=timezone.localdate() - dt.timedelta(days=n),
            minutes=90,
            actor=person,
        )
        for n in (1, 2)
    )
    hours_entry_verify(entry=first, actor=SYSTEM)
    hours_entry_reject(entry=second, actor=SYSTEM, note="Not ours")
    [verified] = payloads("hours.verified")
    assert verified["data"]["id"] == first.pk
    assert (verified["data"]["minutes"], verified["data"]["hours"]) == (90, "1.50")
    assert verified["activity_id"] == Activity.objects.get(verb="hours.verified").pk
    assert WebhookDelivery.objects.count() == 1


def test_event_updated_says_which_fields_changed(partner, every_type):
    event = EventFactory(group=partner.group)
    event_update(event=event, actor=SYSTEM, title="Renamed", address="1 New Road")
    [updated] = payloads("event.updated")
    assert updated["data"]["title"] == "Renamed"
    assert updated["changed"] == ["address", "title"]
    assert updated["activity_id"] == Activity.objects.get(verb="event.updated").pk


def test_nothing_of_another_organizations_or_a_public_group(
    partner,
    other_partner,
    every_type,
    receiver,  # noqa: F811
):
    for group in (other_partner.group, VolunteerProjectFactory().group):
        event = EventFactory(group=group)
        shift = ShiftFactory(role=RoleFactory(project=VolunteerProjectFactory(group=group)))
        person = member_of(group)
        rsvp_create(event=event, user=person)
        signup_create(shift=shift, user=person)
        entry = hours_entry_log(
            volunteer=person,
            project=shift.role.project,
            worked_on=timezone.localdate(),
            minutes=30,
            actor=person,
        )
        hours_entry_verify(entry=entry, actor=SYSTEM)
        event_update(event=event, actor=SYSTEM, title="Renamed")
    assert not WebhookDelivery.objects.exists()


def test_only_the_types_an_endpoint_picked(partner, receiver, settings):  # noqa: F811
    settings.PARTNER_WEBHOOKS_ALLOW_HTTP = True
    endpoint = WebhookEndpoint(
        organization=partner.organization, url=receiver.url, event_types=["hours.verified"]
    )
    endpoint.full_clean()
    endpoint.save()
    shift = ShiftFactory(role=RoleFactory(project=VolunteerProjectFactory(group=partner.group)))
    signup_create(shift=shift, user=member_of(partner.group))
    rsvp_create(event=EventFactory(group=partner.group), user=member_of(partner.group))
    assert not WebhookDelivery.objects.exists()


def test_a_signup_is_delivered_signed_and_verifiable(
    partner,
    every_type,
    receiver,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    shift = ShiftFactory(role=RoleFactory(project=VolunteerProjectFactory(group=partner.group)))
    signup = signup_create(shift=shift, user=member_of(partner.group))
    assert dispatch(django_capture_on_commit_callbacks) == 1
    ((headers, body),) = receiver.received
    payload = Webhook(every_type.secret).verify(body, headers)
    assert payload["type"] == "signup.created"
    assert payload["data"]["id"] == signup.pk
    assert WebhookDelivery.objects.get().status == "sent"
