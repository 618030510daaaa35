"""Tenant isolation: every endpoint and method x every kind of caller -> the exact status, and
nothing private of another organization in any body, list, count, ETag or error."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import EventFactory, RsvpFactory
from tests.partners.conftest import Partner, api

pytestmark = pytest.mark.django_db

CALLERS = ["none", "revoked", "expired", "read", "other", "write"]
SECRET_TITLE = "Confidential recovery circle"
SECRET_GROUP = "Hidden Harbour Circle"


@pytest.fixture
def world(db):
    """demo-partner owns a private group with an event someone is going to; other-partner has
    its own private group and keys of every kind."""
    owner = Partner("demo-partner", visibility="private")
    owner.group.name = SECRET_GROUP
    owner.group.save()
    event = EventFactory(group=owner.group, title=SECRET_TITLE, address="9 Quiet Lane")
    RsvpFactory(event=event, user__display_name="Private Person")
    other = Partner("other-partner", visibility="private")
    revoked = owner.key(["read", "write"])
    from partners.models import PartnerApiKey
    from partners.services import api_key_revoke

    api_key_revoke(api_key=PartnerApiKey.objects.get(prefix=revoked.split(".")[0]))
    keys = {
        "none": None,
        "revoked": revoked,
        "expired": owner.key(["read", "write"], expires_at=timezone.now() - dt.timedelta(1)),
        "read": owner.read_key,
        "other": other.write_key,
        "write": owner.write_key,
    }
    return owner, other, event, keys


def _new_event(group_id):
    return {
        "group": group_id,
        "title": "Made through the API",
        "category": "support",
        "venue_name": "Room 2",
        "starts_at": "2031-03-01T18:00:00+00:00",
        "ends_at": "2031-03-01T20:00:00+00:00",
    }


# (name, method, path template, body, {caller: status}); unlisted callers: 401.
UNAUTH = {"none": 401, "revoked": 401, "expired": 401}
MATRIX = [
    ("groups", "get", "/api/v1/groups", None, {"read": 200, "other": 200, "write": 200}),
    ("group", "get", "/api/v1/groups/{group}", None, {"read": 200, "other": 404, "write": 200}),
    ("events", "get", "/api/v1/events", None, {"read": 200, "other": 200, "write": 200}),
    ("create", "post", "/api/v1/events", "new", {"read": 403, "other": 400, "write": 201}),
    ("event", "get", "/api/v1/events/{event}", None, {"read": 200, "other": 404, "write": 200}),
    (
        "update",
        "patch",
        "/api/v1/events/{event}",
        {"title": "Renamed"},
        {"read": 403, "other": 404, "write": 200},
    ),
    (
        "cancel",
        "post",
        "/api/v1/events/{event}/cancel",
        {},
        {"read": 403, "other": 404, "write": 200},
    ),
    (
        "rsvps",
        "get",
        "/api/v1/events/{event}/rsvps",
        None,
        {"read": 200, "other": 404, "write": 200},
    ),
    ("delete", "delete", "/api/v1/events/{event}", None, {"read": 403, "other": 405, "write": 405}),
    ("put", "put", "/api/v1/groups/{group}", {}, {"read": 405, "other": 405, "write": 405}),
]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("name", "method", "path", "body", "expected"), MATRIX, ids=[row[0] for row in MATRIX]
)
def test_matrix(world, caller, name, method, path, body, expected):
    owner, _other, event, keys = world
    url = path.format(group=owner.group.pk, event=event.pk)
    if body == "new":
        body = _new_event(owner.group.pk)
    client = api(keys[caller])
    kwargs = {"format": "json"} if body is not None else {}
    response = (
        getattr(client, method)(url, body, **kwargs)
        if body is not None
        else getattr(client, method)(url)
    )
    status = {**UNAUTH, **expected}[caller]
    assert response.status_code == status, response.content
    if status >= 400:
        assert response["Content-Type"] == "application/problem+json"
    if caller != "write" and caller != "read":
        text = response.content.decode() + response.get("ETag", "")
        for secret in (
            SECRET_TITLE,
            SECRET_GROUP,
            "9 Quiet Lane",
            "Private Person",
            event.slug,
            owner.group.slug,
        ):
            assert secret not in text


def test_another_partners_hidden_event_answers_exactly_as_a_missing_one(world):
    owner, _other, event, keys = world
    client = api(keys["other"])
    missing = event.pk + 1000
    for suffix in ("", "/rsvps"):
        hidden = client.get(f"/api/v1/events/{event.pk}{suffix}")
        absent = client.get(f"/api/v1/events/{missing}{suffix}")
        assert (hidden.status_code, hidden.content) == (absent.status_code, absent.content)
    hidden = client.patch(f"/api/v1/events/{event.pk}", {"title": "x"}, format="json")
    absent = client.patch(f"/api/v1/events/{missing}", {"title": "x"}, format="json")
    assert (hidden.status_code, hidden.content) == (absent.status_code, absent.content)
    hidden = client.post("/api/v1/events", _new_event(owner.group.pk), format="json")
    absent = client.post("/api/v1/events", _new_event(owner.group.pk + 1000), format="json")
    assert (hidden.status_code, hidden.content) == (absent.status_code, absent.content)


def test_lists_and_filters_never_count_another_partners_private_events(world):
    owner, _other, event, keys = world
    client = api(keys["other"])
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    for query in (
        {},
        {"group": owner.group.pk},
        {"q": "Confidential"},
        {"category": "social"},
        {"updated_since": since},
    ):
        response = client.get("/api/v1/events", query)
        assert response.status_code == 200, response.content
        body = response.json()
        assert event.pk not in [row["id"] for row in body["data"]]
        assert SECRET_TITLE not in str(body)
    groups = client.get("/api/v1/groups?q=Hidden").json()
    assert groups["data"] == []
    assert (
        client.get("/api/v1/events?q=Confidential")["ETag"]
        == client.get("/api/v1/events?q=Nothing-at-all")["ETag"]
    )
