"""Writes for the partner's own organization: create, update and cancel events through the
events services; input checked strictly; Idempotency-Key; problems for every error."""

import hashlib
import json

import pytest
from django.core import mail

from events.models import Event
from partners.models import IdempotencyRecord
from tests.factories import EventFactory, RsvpFactory
from tests.partners.conftest import api

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Open rehearsal",
    "category": "music",
    "venue_name": "St Aidan's Hall",
    "timezone": "Europe/London",
    "starts_at": "2031-03-01T18:00:00+00:00",
    "ends_at": "2031-03-01T20:00:00+00:00",
    "tags": ["Singing"],
}


def test_create_update_and_cancel_an_own_event(partner):
    client = api(partner.write_key)
    response = client.post("/api/v1/events", {**NEW, "group": partner.group.pk}, format="json")
    assert response.status_code == 201, response.content
    created = response.json()["data"]
    assert created["tags"] == ["Singing"]
    assert created["starts_at"] == "2031-03-01T18:00:00+00:00"
    event = Event.objects.get(pk=created["id"])
    RsvpFactory(event=event, user__email="singer@example.com")

    response = client.patch(
        f"/api/v1/events/{event.pk}",
        {"starts_at": "2031-03-01T19:00:00+00:00", "ends_at": "2031-03-01T21:00:00+00:00"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["data"]["starts_at"] == "2031-03-01T19:00:00+00:00"

    mail.outbox.clear()
    response = client.post(f"/api/v1/events/{event.pk}/cancel", {"message": "Sorry"}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "cancelled"
    event.refresh_from_db()
    assert event.is_cancelled
    assert event.cancellation_message == "Sorry"


def test_rules_of_the_events_services_come_back_as_422_with_field_errors(partner):
    body = {**NEW, "group": partner.group.pk, "ends_at": "2031-03-01T17:00:00+00:00"}
    response = api(partner.write_key).post("/api/v1/events", body, format="json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {"ends_at": ["The event must end after it starts."]}
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"color": "red"}, "color", "Unknown field."),
        ({"going_count": 3}, "going_count", "This field is read-only."),
        ({"organization": 1}, "organization", "This field is read-only."),
        ({"id": 9}, "id", "This field is read-only."),
        ({"starts_at": "2031-03-01T18:00:00"}, "starts_at", None),
        ({"category": "bogus"}, "category", None),
        ({"title": ""}, "title", None),
    ],
)
def test_unknown_read_only_and_malformed_fields_are_refused(partner, change, field, message):
    body = {**NEW, "group": partner.group.pk, **change}
    response = api(partner.write_key).post("/api/v1/events", body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert not Event.objects.exists()


def test_an_event_is_created_only_in_the_partners_own_groups(partner, other_partner):
    body = {**NEW, "group": other_partner.group.pk}
    response = api(partner.write_key).post("/api/v1/events", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"group": ["Not one of your organization's groups."]}
    assert str(other_partner.group.name) not in response.content.decode()


def test_an_event_cannot_move_group(partner):
    event = EventFactory(group=partner.group)
    response = api(partner.write_key).patch(
        f"/api/v1/events/{event.pk}", {"group": partner.group.pk}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["group"]


def test_bodies_over_the_limit_are_413(partner, settings):
    settings.PARTNER_API_MAX_BODY_BYTES = 1000
    body = {**NEW, "group": partner.group.pk, "description": "x" * 2000}
    response = api(partner.write_key).post("/api/v1/events", body, format="json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/problem+json"


def test_malformed_json_is_a_problem_400(partner):
    response = api(partner.write_key).post(
        "/api/v1/events", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_idempotency_key_same_body_gives_the_first_answer_another_body_422(partner):
    client = api(partner.write_key)
    body = {**NEW, "group": partner.group.pk}
    first = client.post("/api/v1/events", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/events", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Event.objects.count() == 1
    other = client.post(
        "/api/v1/events", {**body, "title": "Other"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert Event.objects.count() == 1


def test_idempotency_key_of_a_request_in_flight_is_409(partner):
    from partners.models import PartnerApiKey

    client = api(partner.write_key)
    body = {**NEW, "group": partner.group.pk}
    prefix = partner.write_key.split(".")[0]
    api_key = PartnerApiKey.objects.get(prefix=prefix)
    raw = json.dumps(body).encode()
    IdempotencyRecord.objects.create(
        client=api_key.client,
        key="k-2",
        request_hash=hashlib.sha256(b"POST /api/v1/events\n" + raw).hexdigest(),
    )
    response = client.post(
        "/api/v1/events", raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 409
    assert not Event.objects.exists()


def test_idempotency_keys_are_per_client(partner, other_partner):
    body = {**NEW, "group": partner.group.pk}
    api(partner.write_key).post("/api/v1/events", body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    other = {**NEW, "group": other_partner.group.pk}
    response = api(other_partner.write_key).post(
        "/api/v1/events", other, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )
    assert response.status_code == 201
    assert Event.objects.count() == 2


def test_a_refused_write_is_stored_for_its_idempotency_key_too(partner):
    client = api(partner.write_key)
    body = {**NEW, "group": partner.group.pk, "ends_at": "2031-03-01T17:00:00+00:00"}
    first = client.post("/api/v1/events", body, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    again = client.post("/api/v1/events", body, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert first.status_code == again.status_code == 422
    assert again.json() == first.json()
    assert again["Content-Type"] == "application/problem+json"


def test_throttled_per_key_with_retry_after_and_ratelimit_headers(partner, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (3, 60)}
    client = api(partner.read_key)
    answers = [client.get("/api/v1/groups") for _n in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[0]["RateLimit-Limit"] == "3"
    assert answers[2]["RateLimit-Remaining"] == "0"
    refused = answers[3]
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused["Content-Type"] == "application/problem+json"
    # Another key of the same partner counts on its own.
    assert api(partner.write_key).get("/api/v1/groups").status_code == 200


def test_unknown_api_addresses_are_problem_404s(partner):
    response = api(partner.read_key).get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("value", ["2031-03-01T18:60:00Z", "2031-02-30T18:00:00+01:00"])
def test_times_out_of_range_are_field_errors_never_a_500(partner, value):
    body = {**NEW, "group": partner.group.pk, "starts_at": value}
    response = api(partner.write_key).post("/api/v1/events", body, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert list(response.json()["errors"]) == ["starts_at"]


def test_times_without_offset_are_refused(partner):
    body = {**NEW, "group": partner.group.pk, "starts_at": "2031-03-01T18:00:00"}
    response = api(partner.write_key).post("/api/v1/events", body, format="json")
    assert response.json()["errors"] == {
        "starts_at": ["Give the time with its offset, e.g. +01:00 or Z."]
    }


def test_an_answer_holding_a_nul_character_is_kept_and_replayed(partner):
    """A problem that echoes a field name with a NUL in it (PostgreSQL's jsonb refuses \\u0000)
    is still a 400, and the same request again replays it."""
    client = api(partner.write_key)
    raw = json.dumps({**NEW, "group": partner.group.pk, "\u0000x": 1}).encode()
    first = client.post(
        "/api/v1/events", raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY="nul"
    )
    assert first.status_code == 400, first.content
    assert first["Content-Type"] == "application/problem+json"
    again = client.post(
        "/api/v1/events", raw, content_type="application/json", HTTP_IDEMPOTENCY_KEY="nul"
    )
    assert again.status_code == 400
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert not Event.objects.exists()
