"""A partner's organizers run its keys and webhook endpoints on the website: the services
(each rule called directly), and the pages for anonymous, forbidden and allowed people."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.actors import Actor
from core.exceptions import NotAllowed, ServiceError
from core.models import Activity
from events.services import event_cancel
from groups.models import Membership
from notifications.tasks import notifications_dispatch_due_task
from partners import services_site as services
from partners.models import PartnerApiKey, WebhookDelivery, WebhookEndpoint
from partners.permissions import can_manage_partner
from tests.factories import EventFactory, GroupFactory, MembershipFactory, UserFactory
from tests.partners.conftest import api
from tests.partners.test_webhooks import Receiver, dispatch

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


@pytest.fixture
def organizer(partner):
    user = UserFactory()
    MembershipFactory(group=partner.group, user=user, role=Membership.Role.ORGANIZER)
    return user


@pytest.fixture
def member(partner):
    user = UserFactory()
    MembershipFactory(group=partner.group, user=user)
    return user


@pytest.fixture
def endpoint(partner, organizer, settings):
    settings.PARTNER_WEBHOOKS_ALLOW_HTTP = True
    return services.webhook_endpoint_create(
        partner=partner.organization,
        actor=organizer,
        url="https://hooks.example.org/connect",
        event_types=["event.created"],
    )


# The rule: organizers of a group the partner owns, nobody else.


def test_organizers_of_the_partners_groups_manage_it_members_and_others_do_not(
    partner, other_partner, organizer, member
):
    org = partner.organization
    assert can_manage_partner(organizer, org)
    assert can_manage_partner(Actor.person(organizer), org)
    assert can_manage_partner(SYSTEM, org)
    assert not can_manage_partner(member, org)
    assert not can_manage_partner(UserFactory(), org)
    assert not can_manage_partner(organizer, other_partner.organization)
    outsider_organizer = UserFactory()
    MembershipFactory(group=GroupFactory(), user=outsider_organizer, role=Membership.Role.ORGANIZER)
    assert not can_manage_partner(outsider_organizer, org)


def test_an_organizer_who_left_no_longer_manages_the_partner(partner, organizer):
    Membership.objects.filter(user=organizer).update(status=Membership.Status.BANNED)
    assert not can_manage_partner(organizer, partner.organization)


# Services.


def test_issuing_a_key_returns_it_once_with_its_scopes_and_records_it(partner, organizer):
    expires = timezone.now() + dt.timedelta(days=30)
    api_key, key = services.partner_key_issue(
        partner=partner.organization,
        actor=organizer,
        name="Our website",
        scopes=["read"],
        expires_at=expires,
    )
    assert key.startswith(api_key.prefix)
    assert api_key.client.scopes == ["read"]
    assert api_key.expiry_date == expires
    assert PartnerApiKey.objects.is_valid(key)
    assert api(key).get("/api/v1/events").status_code == 200
    row = Activity.objects.get(verb="partner.key_created")
    assert row.actor_user == organizer
    assert row.data == {"prefix": api_key.prefix, "scopes": ["read"]}
    assert key not in str(row.data)


def test_a_member_cannot_issue_or_revoke_keys(partner, member):
    with pytest.raises(NotAllowed):
        services.partner_key_issue(
            partner=partner.organization, actor=member, name="x", scopes=["read"]
        )
    api_key = PartnerApiKey.objects.filter(client__organization=partner.organization).first()
    with pytest.raises(NotAllowed):
        services.partner_key_revoke(api_key=api_key, actor=member)


def test_a_key_needs_a_scope_and_a_future_expiry(partner, organizer):
    with pytest.raises(ServiceError):
        services.partner_key_issue(
            partner=partner.organization, actor=organizer, name="x", scopes=[]
        )
    with pytest.raises(ServiceError) as error:
        services.partner_key_issue(
            partner=partner.organization,
            actor=organizer,
            name="x",
            scopes=["read"],
            expires_at=timezone.now() - dt.timedelta(days=1),
        )
    assert "expires_at" in error.value.field_errors()


def test_a_revoked_key_stops_working(partner, organizer):
    api_key, key = services.partner_key_issue(
        partner=partner.organization, actor=organizer, name="x", scopes=["read"]
    )
    services.partner_key_revoke(api_key=api_key, actor=organizer)
    assert api(key).get("/api/v1/events").status_code == 401
    assert Activity.objects.filter(verb="partner.key_revoked").count() == 1


def test_endpoints_must_be_https_with_types_from_the_catalogue(partner, organizer):
    for url, types in (
        ("http://hooks.example.org/", ["event.created"]),
        ("https://hooks.example.org/", ["no.such"]),
        ("https://hooks.example.org/", []),
    ):
        with pytest.raises(ServiceError):
            services.webhook_endpoint_create(
                partner=partner.organization, actor=organizer, url=url, event_types=types
            )
    assert not WebhookEndpoint.objects.exists()


def test_rotating_the_secret_keeps_the_old_one_signing_for_a_while(endpoint, organizer):
    old = endpoint.secret
    services.webhook_endpoint_secret_rotate(endpoint=endpoint, actor=organizer)
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.previous_secret == old
    assert endpoint.previous_secret_expires_at > timezone.now() + dt.timedelta(hours=23)
    assert Activity.objects.filter(verb="partner.webhook_secret_rotated").count() == 1


def test_switching_an_endpoint_on_again_clears_its_failures(endpoint, organizer):
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False, consecutive_failures=9)
    endpoint.refresh_from_db()
    services.webhook_endpoint_set_active(endpoint=endpoint, actor=organizer, active=True)
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert endpoint.consecutive_failures == 0
    with pytest.raises(NotAllowed):
        services.webhook_endpoint_set_active(endpoint=endpoint, actor=UserFactory(), active=False)


def test_a_test_event_and_a_redelivery_reach_a_real_receiver_signed(
    partner, organizer, settings, django_capture_on_commit_callbacks
):
    from standardwebhooks import Webhook

    settings.PARTNER_WEBHOOKS_ALLOW_HTTP = True
    receiver = Receiver()
    try:
        endpoint = services.webhook_endpoint_create(
            partner=partner.organization,
            actor=organizer,
            url=receiver.url,
            event_types=["event.created"],
        )
        delivery = services.webhook_test_send(endpoint=endpoint, actor=organizer)
        dispatch(django_capture_on_commit_callbacks)
        delivery.refresh_from_db()
        assert delivery.status == WebhookDelivery.Status.SENT
        assert delivery.last_status_code == 204
        headers, body = receiver.received[0]
        lower = {k.lower(): v for k, v in headers.items()}
        assert Webhook(endpoint.secret).verify(body, lower)["type"] == "webhook.test"

        services.webhook_delivery_redeliver(delivery=delivery, actor=organizer)
        dispatch(django_capture_on_commit_callbacks)
        assert len(receiver.received) == 2
        again = {k.lower(): v for k, v in receiver.received[1][0].items()}
        assert again["webhook-id"] == delivery.message_id
    finally:
        receiver.close()
    verbs = set(Activity.objects.values_list("verb", flat=True))
    assert {"partner.webhook_test_sent", "partner.webhook_redelivered"} <= verbs


def test_no_test_event_to_a_switched_off_endpoint(endpoint, organizer):
    services.webhook_endpoint_set_active(endpoint=endpoint, actor=organizer, active=False)
    with pytest.raises(ServiceError):
        services.webhook_test_send(endpoint=endpoint, actor=organizer)


def test_organizers_are_emailed_when_failures_switch_an_endpoint_off(
    partner, organizer, member, settings, django_capture_on_commit_callbacks
):
    settings.PARTNER_WEBHOOKS_ALLOW_HTTP = True
    settings.PARTNER_WEBHOOKS_DISABLE_AFTER = 2
    receiver = Receiver()
    receiver.status = 500
    try:
        services.webhook_endpoint_create(
            partner=partner.organization,
            actor=organizer,
            url=receiver.url,
            event_types=["event.cancelled"],
        )
        for _n in range(3):
            event_cancel(event=EventFactory(group=partner.group), actor=SYSTEM)
        dispatch(django_capture_on_commit_callbacks)
    finally:
        receiver.close()
    with django_capture_on_commit_callbacks(execute=True):
        notifications_dispatch_due_task()
    to_organizer = [m for m in mail.outbox if organizer.email in m.to]
    assert len(to_organizer) == 1
    assert "switched off" in to_organizer[0].subject
    assert not [m for m in mail.outbox if member.email in m.to]


# Pages: anonymous, forbidden, allowed.


def manage_url(partner):
    return reverse("partners:manage", args=[partner.organization.slug])


def test_anonymous_people_are_sent_to_sign_in(client, partner):
    response = client.get(manage_url(partner))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "stranger", "other_organizer"])
def test_everyone_but_the_partners_organizers_gets_404(
    client, partner, other_partner, member, endpoint, who
):
    user = {"member": member, "stranger": UserFactory()}.get(who)
    if who == "other_organizer":
        user = UserFactory()
        MembershipFactory(group=other_partner.group, user=user, role=Membership.Role.ORGANIZER)
    client.force_login(user)
    slug = partner.organization.slug
    assert client.get(manage_url(partner)).status_code == 404
    assert client.get(reverse("partners:webhook", args=[slug, endpoint.pk])).status_code == 404
    assert client.post(reverse("partners:key-create", args=[slug]), {}).status_code == 404
    action = reverse("partners:webhook-action", args=[slug, endpoint.pk, "disable"])
    assert client.post(action).status_code == 404
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert client.get(reverse("partners:manage", args=["no-such-partner"])).status_code == 404


def test_another_partners_endpoint_is_404_even_for_an_organizer(
    client, partner, other_partner, organizer, settings
):
    theirs = WebhookEndpoint.objects.create(
        organization=other_partner.organization,
        url="https://x.example.org/",
        event_types=["event.created"],
    )
    client.force_login(organizer)
    url = reverse("partners:webhook", args=[partner.organization.slug, theirs.pk])
    assert client.get(url).status_code == 404


def test_an_organizer_creates_a_key_sees_it_once_and_revokes_it(client, partner, organizer):
    client.force_login(organizer)
    slug = partner.organization.slug
    response = client.post(
        reverse("partners:key-create", args=[slug]),
        {"name": "Our CRM", "scopes": ["read", "write"], "expires_on": ""},
    )
    assert response.status_code == 200
    key = response.context["new_key"]["key"]
    assert key.encode() in response.content
    assert "no-store" in response["Cache-Control"]
    page = client.get(manage_url(partner))
    assert key.encode() not in page.content
    api_key = PartnerApiKey.objects.get(name="Our CRM")
    assert api_key.prefix.encode() in page.content
    response = client.post(reverse("partners:key-revoke", args=[slug, api_key.pk]))
    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked


def test_a_bad_key_form_is_shown_again_with_errors(client, partner, organizer):
    client.force_login(organizer)
    response = client.post(
        reverse("partners:key-create", args=[partner.organization.slug]),
        {"name": "", "scopes": ["admin"], "expires_on": "2001-01-01"},
    )
    assert response.status_code == 400
    assert set(response.context["key_form"].errors) == {"name", "scopes", "expires_on"}


def test_an_organizer_adds_an_endpoint_and_runs_it(client, partner, organizer):
    client.force_login(organizer)
    slug = partner.organization.slug
    response = client.post(
        reverse("partners:webhook-create", args=[slug]),
        {"url": "http://insecure.example.org/", "event_types": ["event.created"]},
    )
    assert response.status_code == 400
    assert "url" in response.context["webhook_form"].errors
    response = client.post(
        reverse("partners:webhook-create", args=[slug]),
        {"url": "https://hooks.example.org/in", "event_types": ["event.created"]},
    )
    endpoint = WebhookEndpoint.objects.get()
    assert response["Location"] == reverse("partners:webhook", args=[slug, endpoint.pk])
    page = client.get(response["Location"])
    assert endpoint.secret.encode() in page.content
    for action in ("rotate", "test", "disable", "enable"):
        response = client.post(reverse("partners:webhook-action", args=[slug, endpoint.pk, action]))
        assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert endpoint.previous_secret
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", last_status_code=500)
    page = client.get(reverse("partners:webhook", args=[slug, endpoint.pk]))
    assert b"webhook.test" in page.content
    assert b"500" in page.content
    url = reverse("partners:delivery-redeliver", args=[slug, endpoint.pk, delivery.pk])
    assert client.post(url).status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING


def test_the_delivery_log_costs_the_same_queries_for_1_10_and_100_rows(
    client, partner, organizer, endpoint
):
    client.force_login(organizer)
    url = reverse("partners:webhook", args=[partner.organization.slug, endpoint.pk])
    client.get(url)
    made = 0
    counts = []
    for n in (1, 10, 100):
        WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                endpoint=endpoint,
                message_id=f"msg_{made + i}",
                event_type="event.created",
                payload={},
            )
            for i in range(n - made)
        )
        made = n
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]


def test_the_header_links_a_partners_organizers_to_their_partner(
    client, partner, organizer, member
):
    client.force_login(organizer)
    page = client.get(reverse("events:list"))
    assert reverse("partners:mine").encode() in page.content
    response = client.get(reverse("partners:mine"))
    assert response["Location"] == manage_url(partner)
    client.force_login(member)
    page = client.get(reverse("events:list"))
    assert reverse("partners:mine").encode() not in page.content
    response = client.get(reverse("partners:mine"))
    assert response.status_code == 200
    assert partner.organization.name.encode() not in response.content


def test_someone_organizing_for_two_partners_chooses_one(client, partner, other_partner, organizer):
    MembershipFactory(group=other_partner.group, user=organizer, role=Membership.Role.ORGANIZER)
    client.force_login(organizer)
    response = client.get(reverse("partners:mine"))
    assert response.status_code == 200
    assert manage_url(partner).encode() in response.content
    assert manage_url(other_partner).encode() in response.content


def test_the_partner_list_asks_anonymous_people_to_sign_in(client):
    response = client.get(reverse("partners:mine"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
