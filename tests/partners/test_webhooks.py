"""Webhooks: outbox rows for a partner's own events, delivered to a real local HTTP server,
signed by the Standard Webhooks scheme and verified with the library's verifier; retries with
backoff; a worker that dies mid-batch loses nothing."""

import datetime as dt
import http.server
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone
from standardwebhooks import Webhook

from core.actors import Actor
from events.services import event_cancel
from partners import webhooks
from partners.models import WebhookDelivery, WebhookEndpoint
from tests.factories import EventFactory
from tests.partners.conftest import api

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("test")


class Receiver:
    """A real HTTP server on 127.0.0.1 that records what it is sent and answers `status`."""

    def __init__(self):
        self.received = []
        self.status = 204
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def endpoint(partner, receiver, settings):
    settings.PARTNER_WEBHOOKS_ALLOW_HTTP = True
    endpoint = WebhookEndpoint(
        organization=partner.organization,
        url=receiver.url,
        event_types=["event.created", "event.cancelled"],
    )
    endpoint.full_clean()
    endpoint.save()
    return endpoint


def dispatch(capture):
    with capture(execute=True):
        return webhooks.deliveries_dispatch(
            send_batch=lambda token: webhooks.batch_send(claim_token=token)
        )


def test_an_event_created_through_the_api_is_delivered_signed_and_verifiable(
    partner, endpoint, receiver, django_capture_on_commit_callbacks
):
    response = api(partner.write_key).post(
        "/api/v1/events",
        {
            "group": partner.group.pk,
            "title": "Open rehearsal",
            "category": "music",
            "venue_name": "Hall",
            "starts_at": "2031-03-01T18:00:00+00:00",
            "ends_at": "2031-03-01T20:00:00+00:00",
        },
        format="json",
    )
    event_id = response.json()["data"]["id"]
    assert dispatch(django_capture_on_commit_callbacks) == 1
    ((headers, body),) = receiver.received
    payload = Webhook(endpoint.secret).verify(body, headers)
    assert payload["type"] == "event.created"
    assert payload["data"]["id"] == event_id
    assert payload["data"]["starts_at"] == "2031-03-01T18:00:00+00:00"
    with pytest.raises(Exception, match="signature"):
        Webhook(WebhookEndpoint(organization=partner.organization).secret).verify(body, headers)
    row = WebhookDelivery.objects.get()
    assert (row.status, row.last_status_code, row.attempts) == ("sent", 204, 1)
    assert dispatch(django_capture_on_commit_callbacks) == 0  # delivered once
    assert len(receiver.received) == 1


def test_only_subscribed_types_of_the_partners_own_events(
    partner, other_partner, endpoint, receiver
):
    EventFactory(group=other_partner.group)
    event = EventFactory(group=partner.group)  # not through the service: nothing announced
    from events.services import event_update

    event_update(event=event, actor=SYSTEM, title="Renamed")  # event.updated: not subscribed
    assert not WebhookDelivery.objects.exists()
    event_cancel(event=event, actor=SYSTEM)
    assert list(WebhookDelivery.objects.values_list("event_type", flat=True)) == ["event.cancelled"]


def test_a_failing_endpoint_is_retried_with_backoff(
    partner, endpoint, receiver, django_capture_on_commit_callbacks
):
    receiver.status = 500
    event_cancel(event=EventFactory(group=partner.group), actor=SYSTEM)
    dispatch(django_capture_on_commit_callbacks)
    row = WebhookDelivery.objects.get()
    assert (row.status, row.attempts, row.last_status_code) == ("pending", 1, 500)
    assert row.next_attempt_at > timezone.now()
    assert dispatch(django_capture_on_commit_callbacks) == 0  # not due yet
    receiver.status = 200
    with time_machine.travel(row.next_attempt_at + dt.timedelta(seconds=1)):
        dispatch(django_capture_on_commit_callbacks)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(receiver.received) == 2
    first, second = ({k.lower(): v for k, v in h.items()} for h, _b in receiver.received)
    assert first["webhook-id"] == second["webhook-id"]


def test_a_worker_dying_mid_batch_loses_nothing(
    partner, endpoint, receiver, django_capture_on_commit_callbacks
):
    event_cancel(event=EventFactory(group=partner.group), actor=SYSTEM)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.deliveries_dispatch(send_batch=lambda token: None)  # the worker never sends
    assert WebhookDelivery.objects.get().status == "claimed"
    assert dispatch(django_capture_on_commit_callbacks) == 0  # under its lease
    with time_machine.travel(timezone.now() + webhooks.LEASE + dt.timedelta(seconds=1)):
        dispatch(django_capture_on_commit_callbacks)
    assert WebhookDelivery.objects.get().status == "sent"
    assert len(receiver.received) == 1


def test_rotation_signs_with_both_secrets_while_they_overlap(
    partner, endpoint, receiver, django_capture_on_commit_callbacks
):
    old = endpoint.secret
    endpoint.previous_secret = old
    endpoint.previous_secret_expires_at = timezone.now() + dt.timedelta(days=1)
    endpoint.secret = webhooks.WebhookEndpoint._meta.get_field("secret").default()
    endpoint.save()
    event_cancel(event=EventFactory(group=partner.group), actor=SYSTEM)
    dispatch(django_capture_on_commit_callbacks)
    ((headers, body),) = receiver.received
    assert Webhook(old).verify(body, headers)["type"] == "event.cancelled"
    assert Webhook(endpoint.secret).verify(body, headers)["type"] == "event.cancelled"


def test_endpoints_need_https_and_known_event_types(partner):
    endpoint = WebhookEndpoint(
        organization=partner.organization, url="http://example.com/h", event_types=["nope"]
    )
    with pytest.raises(ValidationError) as error:
        endpoint.full_clean()
    assert set(error.value.message_dict) == {"url", "event_types"}


def test_an_endpoint_failing_again_and_again_is_switched_off(
    partner, endpoint, receiver, settings, django_capture_on_commit_callbacks
):
    settings.PARTNER_WEBHOOKS_DISABLE_AFTER = 2
    receiver.status = 500
    for _n in range(2):
        event_cancel(event=EventFactory(group=partner.group), actor=SYSTEM)
    dispatch(django_capture_on_commit_callbacks)
    endpoint.refresh_from_db()
    assert endpoint.is_active is False


def test_admin_redelivers(
    admin_client, partner, endpoint, receiver, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    event_cancel(event=EventFactory(group=partner.group), actor=SYSTEM)
    dispatch(django_capture_on_commit_callbacks)
    row = WebhookDelivery.objects.get()
    admin_client.post(
        reverse("admin:partners_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [row.pk]},
    )
    dispatch(django_capture_on_commit_callbacks)
    assert len(receiver.received) == 2
    assert admin_client.get(reverse("admin:partners_webhookendpoint_changelist")).status_code == 200
