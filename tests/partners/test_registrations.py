"""Registering a person by email with their consent: the email, the page that answers it
(logged out too), acceptance through the website's services, declining, the per-client limit,
and every rule tried on the service directly."""

import re

import pytest
from django.core import mail
from django.test import Client

from core.actors import Actor
from core.exceptions import NotAllowed, ServiceError
from events.models import Rsvp
from events.services import event_cancel
from groups.models import Group, Membership
from partners import services
from partners.models import ApiClient, Registration
from tests.factories import (
    EventFactory,
    RoleFactory,
    ShiftFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from tests.partners.conftest import api
from volunteering.models import ShiftSignup

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


def register(partner, path, email="sam@example.org", consent=True, capture=None):
    body = {"email": email, "consent": consent}
    if capture is None:
        return api(partner.write_key).post(path, body, format="json")
    with capture(execute=True):
        return api(partner.write_key).post(path, body, format="json")


def link_in(message) -> str:
    return re.search(r"https?://\S+/partners/registrations/\S+/", message.body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def approval_group(partner):
    Group.objects.filter(pk=partner.group.pk).update(join_policy=Group.JoinPolicy.APPROVAL)
    partner.group.refresh_from_db()
    return partner.group


def test_consent_is_needed_and_nothing_happens_without_it(partner):
    event = EventFactory(group=partner.group)
    response = api(partner.write_key).post(
        f"/api/v1/events/{event.pk}/registrations", {"email": "sam@example.org"}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["consent"]
    response = register(partner, f"/api/v1/events/{event.pk}/registrations", consent=False)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["consent"]
    assert not Registration.objects.exists()
    assert mail.outbox == []


def test_the_person_gets_an_email_and_nothing_else_happens_until_they_answer(
    partner, django_capture_on_commit_callbacks
):
    event = EventFactory(group=partner.group, title="Open rehearsal")
    path = f"/api/v1/events/{event.pk}/registrations"
    response = register(partner, path, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert (data["status"], data["event"], data["outcome"]) == ("pending", event.pk, None)
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert "Open rehearsal" in message.body
    assert "Demo-Partner" in message.subject
    assert link_in(message)
    assert not Rsvp.objects.exists()
    assert not Membership.objects.filter(group=partner.group, role="member").exists()

    again = register(
        partner, path, email="SAM@example.org", capture=django_capture_on_commit_callbacks
    )
    assert again.status_code == 200
    assert again.json()["data"]["id"] == data["id"]
    assert len(mail.outbox) == 1  # no second email


def test_registrations_per_client_and_event_are_limited(partner, settings):
    settings.PARTNER_API_REGISTRATIONS_PER_TARGET = 2
    event = EventFactory(group=partner.group)
    path = f"/api/v1/events/{event.pk}/registrations"
    for n in range(2):
        assert register(partner, path, email=f"p{n}@example.org").status_code == 201
    response = register(partner, path, email="p3@example.org")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert "as many people" in response.json()["detail"]
    assert Registration.objects.count() == 2
    other_event = EventFactory(group=partner.group)
    path = f"/api/v1/events/{other_event.pk}/registrations"
    assert register(partner, path, email="p3@example.org").status_code == 201


def test_only_for_the_partners_own_open_events_and_shifts(partner, other_partner):
    for event in (EventFactory(group=other_partner.group), EventFactory()):
        assert register(partner, f"/api/v1/events/{event.pk}/registrations").status_code == 404
    theirs = ShiftFactory(
        role=RoleFactory(project=VolunteerProjectFactory(group=other_partner.group))
    )
    assert register(partner, f"/api/v1/shifts/{theirs.pk}/registrations").status_code == 404
    cancelled = EventFactory(group=partner.group)
    event_cancel(event=cancelled, actor=SYSTEM)
    response = register(partner, f"/api/v1/events/{cancelled.pk}/registrations")
    assert response.status_code == 422
    assert not Registration.objects.exists()
    response = api(partner.read_key).post(
        f"/api/v1/events/{EventFactory(group=partner.group).pk}/registrations",
        {"email": "sam@example.org", "consent": True},
        format="json",
    )
    assert response.status_code == 403


def test_declining_works_logged_out_and_changes_nothing_else(
    partner, django_capture_on_commit_callbacks
):
    event = EventFactory(group=partner.group, title="Open rehearsal")
    register(
        partner,
        f"/api/v1/events/{event.pk}/registrations",
        capture=django_capture_on_commit_callbacks,
    )
    url = path_of(link_in(mail.outbox[0]))
    browser = Client()
    page = browser.get(url)
    assert page.status_code == 200
    assert "Open rehearsal" in page.content.decode()
    response = browser.post(url, {"answer": "decline"})
    assert response.status_code == 302
    assert Registration.objects.get().status == "declined"
    assert not Rsvp.objects.exists()
    assert not Membership.objects.filter(group=partner.group, role="member").exists()
    assert "You declined" in browser.get(url).content.decode()


def test_accepting_logged_out_asks_to_log_in_first(partner, django_capture_on_commit_callbacks):
    event = EventFactory(group=partner.group)
    register(
        partner,
        f"/api/v1/events/{event.pk}/registrations",
        capture=django_capture_on_commit_callbacks,
    )
    url = path_of(link_in(mail.outbox[0]))
    response = Client().post(url, {"answer": "accept"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Registration.objects.get().status == "pending"


def test_accepting_makes_a_member_and_rsvps_through_the_website_services(
    partner, approval_group, django_capture_on_commit_callbacks
):
    event = EventFactory(group=partner.group, capacity=1)
    register(
        partner,
        f"/api/v1/events/{event.pk}/registrations",
        capture=django_capture_on_commit_callbacks,
    )
    register(
        partner,
        f"/api/v1/events/{event.pk}/registrations",
        email="kim@example.org",
        capture=django_capture_on_commit_callbacks,
    )
    sam_url, kim_url = (path_of(link_in(m)) for m in mail.outbox)
    sam, kim = UserFactory(email="sam@example.org"), UserFactory(email="kim@example.org")
    browser = Client()
    browser.force_login(sam)
    response = browser.post(sam_url, {"answer": "accept"})
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    membership = Membership.objects.get(group=partner.group, user=sam)
    assert membership.status == Membership.Status.ACTIVE  # the invitation, not a request
    assert Rsvp.objects.get(user=sam).status == Rsvp.Status.GOING
    browser.force_login(kim)
    browser.post(kim_url, {"answer": "accept"})
    assert Rsvp.objects.get(user=kim).status == Rsvp.Status.WAITLISTED  # full: as on the site
    assert Registration.objects.get(email="kim@example.org").outcome == "waitlisted"
    body = api(partner.read_key).get(f"/api/v1/events/{event.pk}").json()["data"]
    assert (body["going_count"], body["waitlist_count"]) == (1, 1)


def test_accepting_with_another_account_changes_nothing(
    partner, django_capture_on_commit_callbacks
):
    event = EventFactory(group=partner.group)
    register(
        partner,
        f"/api/v1/events/{event.pk}/registrations",
        capture=django_capture_on_commit_callbacks,
    )
    browser = Client()
    browser.force_login(UserFactory(email="someone.else@example.org"))
    response = browser.post(path_of(link_in(mail.outbox[0])), {"answer": "accept"})
    assert response.status_code == 400
    assert "another email address" in response.content.decode()
    assert Registration.objects.get().status == "pending"
    assert not Rsvp.objects.exists()


def test_a_shift_with_an_agreement_asks_for_it_on_the_page(
    partner, django_capture_on_commit_callbacks
):
    project = VolunteerProjectFactory(
        group=partner.group, waiver_text="Wear gloves.", waiver_version=1
    )
    shift = ShiftFactory(role=RoleFactory(project=project))
    register(
        partner,
        f"/api/v1/shifts/{shift.pk}/registrations",
        capture=django_capture_on_commit_callbacks,
    )
    url = path_of(link_in(mail.outbox[0]))
    browser = Client()
    browser.force_login(UserFactory(email="sam@example.org"))
    assert "Wear gloves." in browser.get(url).content.decode()
    response = browser.post(url, {"answer": "accept"})
    assert response.status_code == 400
    assert not ShiftSignup.objects.exists()
    response = browser.post(url, {"answer": "accept", "accept_waiver": "on"})
    assert response.status_code == 302
    assert ShiftSignup.objects.get().status == ShiftSignup.Status.SIGNED_UP
    assert Registration.objects.get().outcome == "signed_up"


def test_a_forged_link_is_a_404():
    assert Client().get("/partners/registrations/not-a-token/").status_code == 404


# The rules, on the services directly.


def _client(partner) -> ApiClient:
    return partner.organization.clients.get(can_write=True)


def _actor(partner, client) -> Actor:
    return Actor.client(client_id=client.pk, name="x", managed_group_ids={partner.group.pk})


def test_service_refuses_without_consent(partner):
    client = _client(partner)
    with pytest.raises(ServiceError) as error:
        services.registration_create(
            client=client,
            actor=_actor(partner, client),
            email="a@example.org",
            consent=False,
            event=EventFactory(group=partner.group),
        )
    assert "consent" in error.value.field_errors()


def test_service_refuses_a_client_without_the_grant(partner, other_partner):
    client = _client(partner)
    with pytest.raises(NotAllowed):
        services.registration_create(
            client=client,
            actor=_actor(partner, client),
            email="a@example.org",
            consent=True,
            event=EventFactory(group=other_partner.group),
        )


def test_service_answers_once(partner):
    client = _client(partner)
    event = EventFactory(group=partner.group)
    registration, created = services.registration_create(
        client=client,
        actor=_actor(partner, client),
        email="a@example.org",
        consent=True,
        event=event,
    )
    assert created
    services.registration_decline(registration=registration)
    with pytest.raises(ServiceError):
        services.registration_accept(
            registration=registration, actor=UserFactory(email="a@example.org")
        )
    assert not Rsvp.objects.exists()


def test_service_keeps_a_ban(partner):
    client = _client(partner)
    event = EventFactory(group=partner.group)
    banned = UserFactory(email="a@example.org")
    Membership.objects.create(group=partner.group, user=banned, status=Membership.Status.BANNED)
    registration, _created = services.registration_create(
        client=client,
        actor=_actor(partner, client),
        email="a@example.org",
        consent=True,
        event=event,
    )
    with pytest.raises(NotAllowed):
        services.registration_accept(registration=registration, actor=banned)
    assert not Rsvp.objects.exists()


def test_a_persons_registrations_are_exported_and_erased_with_the_account(partner):
    from accounts.services import user_delete, user_export

    client = _client(partner)
    person = UserFactory(email="a@example.org")
    services.registration_create(
        client=client,
        actor=_actor(partner, client),
        email="A@example.org",
        consent=True,
        event=EventFactory(group=partner.group),
    )
    exported = user_export(user=person)["partners"]["registrations"]
    assert [(r["email"], r["status"]) for r in exported] == [("A@example.org", "pending")]
    user_delete(user=person)
    assert not Registration.objects.exists()


def test_an_email_whose_queued_send_never_ran_goes_out_with_the_sweep(partner):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    client = _client(partner)
    services.registration_create(  # no on-commit callbacks run here: the task never ran
        client=client,
        actor=_actor(partner, client),
        email="a@example.org",
        consent=True,
        event=EventFactory(group=partner.group),
    )
    assert services.registration_emails_send_due() == 0  # too early: the task may still run
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=3)):
        assert services.registration_emails_send_due() == 1
        assert services.registration_emails_send_due() == 0  # once
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_the_partner_lists_its_registrations_and_their_answers(
    partner, django_capture_on_commit_callbacks
):
    event = EventFactory(group=partner.group)
    path = f"/api/v1/events/{event.pk}/registrations"
    register(partner, path, capture=django_capture_on_commit_callbacks)
    register(partner, path, email="kim@example.org")
    browser = Client()
    browser.force_login(UserFactory(email="sam@example.org"))
    browser.post(path_of(link_in(mail.outbox[0])), {"answer": "accept"})
    body = api(partner.read_key).get(path).json()
    assert [(r["email"], r["status"], r["outcome"]) for r in body["data"]] == [
        ("sam@example.org", "accepted", "going"),
        ("kim@example.org", "pending", None),
    ]


@pytest.mark.parametrize("rows", [1, 10, 100])
def test_registration_list_queries_do_not_grow_with_the_page(
    partner, rows, django_assert_num_queries, settings
):
    settings.PARTNER_API_REGISTRATIONS_PER_TARGET = 100
    client = _client(partner)
    shift = ShiftFactory(
        role=RoleFactory(project=VolunteerProjectFactory(group=partner.group)), capacity=None
    )
    for n in range(rows):
        services.registration_create(
            client=client,
            actor=_actor(partner, client),
            email=f"p{n}@example.org",
            consent=True,
            shift=shift,
        )
    reader = api(partner.read_key)
    # the key with its owned groups, the shift, the page
    with django_assert_num_queries(3):
        response = reader.get(f"/api/v1/shifts/{shift.pk}/registrations?limit=100")
    assert len(response.json()["data"]) == rows


def test_staff_see_registrations_read_only(admin_client, partner):
    from django.urls import reverse

    client = _client(partner)
    services.registration_create(
        client=client,
        actor=_actor(partner, client),
        email="a@example.org",
        consent=True,
        event=EventFactory(group=partner.group),
    )
    response = admin_client.get(reverse("admin:partners_registration_changelist"))
    assert response.status_code == 200
    assert "a@example.org" in response.content.decode()


def test_a_declined_person_is_not_asked_again_for_the_same_event_or_shift(
    partner, django_capture_on_commit_callbacks
):
    event = EventFactory(group=partner.group)
    shift = ShiftFactory(role=RoleFactory(project=VolunteerProjectFactory(group=partner.group)))
    for path in (
        f"/api/v1/events/{event.pk}/registrations",
        f"/api/v1/shifts/{shift.pk}/registrations",
    ):
        sent = len(mail.outbox)
        register(partner, path, capture=django_capture_on_commit_callbacks)
        services.registration_decline(registration=Registration.objects.latest("pk"))
        again = register(
            partner, path, email="SAM@example.org", capture=django_capture_on_commit_callbacks
        )
        assert again.status_code == 422
        assert again["Content-Type"] == "application/problem+json"
        assert "email" in again.json()["errors"]
        assert len(mail.outbox) == sent + 1
    assert Registration.objects.count() == 2
    # Another address for the same event is still asked.
    other = register(
        partner,
        f"/api/v1/events/{event.pk}/registrations",
        email="kim@example.org",
        capture=django_capture_on_commit_callbacks,
    )
    assert other.status_code == 201


def test_service_refuses_to_ask_a_declined_person_again(partner):
    client = _client(partner)
    event = EventFactory(group=partner.group)
    registration, _created = services.registration_create(
        client=client,
        actor=_actor(partner, client),
        email="a@example.org",
        consent=True,
        event=event,
    )
    services.registration_decline(registration=registration)
    with pytest.raises(ServiceError):
        services.registration_create(
            client=client,
            actor=_actor(partner, client),
            email="a@example.org",
            consent=True,
            event=event,
        )
    assert Registration.objects.count() == 1


def test_the_registration_page_masks_the_invitees_email(
    partner, django_capture_on_commit_callbacks
):
    event = EventFactory(group=partner.group)
    register(
        partner,
        f"/api/v1/events/{event.pk}/registrations",
        email="samantha@example.org",
        capture=django_capture_on_commit_callbacks,
    )
    page = Client().get(path_of(link_in(mail.outbox[0])))
    assert page.status_code == 200
    text = page.content.decode()
    assert "samantha@example.org" not in text
    assert "s•••@example.org" in text
