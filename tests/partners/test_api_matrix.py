"""Tenant isolation: every endpoint and method x every kind of caller -> the exact status, and
nothing private of another organization in any body, list, count, ETag or error."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from core.actors import Actor
from events.models import Event
from tests.factories import (
    EventFactory,
    MembershipFactory,
    RoleFactory,
    RsvpFactory,
    ShiftFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from tests.partners.conftest import Partner, api

pytestmark = pytest.mark.django_db

CALLERS = ["none", "revoked", "expired", "read", "other", "write"]
SECRET_TITLE = "Confidential recovery circle"
SECRET_GROUP = "Hidden Harbour Circle"
SECRET_PROJECT = "Confidential meal run"
SECRET_ROLE = "Quiet driver"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Made once for this module (the matrix has two hundred cases) inside a transaction that
    is rolled back at its end; each test runs in a savepoint within it (pytest-django nests
    them), so whatever a test's request changes is undone before the next test."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield make_world()
        transaction.set_rollback(True)


def make_world():
    """demo-partner owns a private group with an event someone is going to, a volunteer project
    with a shift someone signed up to, verified hours and a repeating event; other-partner has
    its own private group and keys of every kind."""
    from events.services import event_series_create
    from volunteering.hours.services import hours_entry_log, hours_entry_verify
    from volunteering.services import signup_create

    owner = Partner("demo-partner", visibility="private")
    owner.group.name = SECRET_GROUP
    owner.group.save()
    event = EventFactory(group=owner.group, title=SECRET_TITLE, address="9 Quiet Lane")
    RsvpFactory(event=event, user__display_name="Private Person")
    project = VolunteerProjectFactory(group=owner.group, title=SECRET_PROJECT)
    role = RoleFactory(project=project, name=SECRET_ROLE)
    shift = ShiftFactory(role=role)
    volunteer = UserFactory(display_name="Private Person")
    MembershipFactory(group=owner.group, user=volunteer)
    signup_create(shift=shift, user=volunteer)
    system = Actor.system("test")
    entry = hours_entry_log(
        volunteer=volunteer,
        project=project,
        worked_on=timezone.localdate(),
        minutes=60,
        actor=volunteer,
    )
    hours_entry_verify(entry=entry, actor=system)
    series = event_series_create(
        group=owner.group,
        actor=system,
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=400),
        duration=dt.timedelta(hours=1),
        title=SECRET_TITLE,
        category="support",
        venue_name="Room 2",
    )
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
    ids = {
        "group": owner.group.pk,
        "event": event.pk,
        "project": project.pk,
        "role": role.pk,
        "shift": shift.pk,
        "series": series.pk,
    }
    return owner, other, ids, keys


def _new_event(group_id):
    return {
        "group": group_id,
        "title": "Made through the API",
        "category": "support",
        "venue_name": "Room 2",
        "starts_at": "2031-03-01T18:00:00+00:00",
        "ends_at": "2031-03-01T20:00:00+00:00",
    }


def _new_project(group_id):
    return {"group": group_id, "title": "Made through the API", "cause": "food", "remote": True}


def _new_shift(role_id):
    return {
        "role": role_id,
        "starts_at": "2031-03-01T09:00:00+00:00",
        "ends_at": "2031-03-01T12:00:00+00:00",
    }


def _new_series(group_id):
    return {
        "group": group_id,
        "title": "Weekly through the API",
        "category": "support",
        "venue_name": "Room 2",
        "rrule": "FREQ=WEEKLY",
        "first_starts_at": "2031-03-01T18:00:00+00:00",
        "duration_minutes": 60,
    }


NEW = {"new": _new_event, "new-project": _new_project, "new-series": _new_series}
OWN_ONLY = {"read": 200, "other": 404, "write": 200}
WRITE_OWN = {"read": 403, "other": 404, "write": 200}
EVERY_KEY = {"read": 200, "other": 200, "write": 200}
NOT_ALLOWED_WRITE = {"read": 403, "other": 405, "write": 405}
CREATE = {"read": 403, "other": 400, "write": 201}

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
    (
        "series-create",
        "post",
        "/api/v1/event-series",
        "new-series",
        {"read": 403, "other": 400, "write": 201},
    ),
    ("series", "get", "/api/v1/event-series/{series}", None, OWN_ONLY),
    ("series-update", "patch", "/api/v1/event-series/{series}", {"title": "Renamed"}, WRITE_OWN),
    ("series-stop", "post", "/api/v1/event-series/{series}/stop", {}, WRITE_OWN),
    (
        "series-delete",
        "delete",
        "/api/v1/event-series/{series}",
        None,
        {"read": 403, "other": 405, "write": 405},
    ),
    (
        "projects",
        "get",
        "/api/v1/volunteer-projects",
        None,
        {"read": 200, "other": 200, "write": 200},
    ),
    (
        "project-create",
        "post",
        "/api/v1/volunteer-projects",
        "new-project",
        {"read": 403, "other": 400, "write": 201},
    ),
    ("project", "get", "/api/v1/volunteer-projects/{project}", None, OWN_ONLY),
    (
        "project-update",
        "patch",
        "/api/v1/volunteer-projects/{project}",
        {"title": "Renamed"},
        WRITE_OWN,
    ),
    ("project-cancel", "post", "/api/v1/volunteer-projects/{project}/cancel", {}, WRITE_OWN),
    ("shifts", "get", "/api/v1/shifts", None, {"read": 200, "other": 200, "write": 200}),
    (
        "shift-create",
        "post",
        "/api/v1/shifts",
        "new-shift",
        {"read": 403, "other": 400, "write": 201},
    ),
    ("shift", "get", "/api/v1/shifts/{shift}", None, OWN_ONLY),
    ("shift-update", "patch", "/api/v1/shifts/{shift}", {"capacity": 9}, WRITE_OWN),
    ("shift-cancel", "post", "/api/v1/shifts/{shift}/cancel", {}, WRITE_OWN),
    ("signups", "get", "/api/v1/shifts/{shift}/signups", None, OWN_ONLY),
    ("shift-put", "put", "/api/v1/shifts/{shift}", {}, NOT_ALLOWED_WRITE),
    (
        "event-registration",
        "post",
        "/api/v1/events/{event}/registrations",
        {"email": "sam@example.org", "consent": True},
        {"read": 403, "other": 404, "write": 201},
    ),
    (
        "shift-registration",
        "post",
        "/api/v1/shifts/{shift}/registrations",
        {"email": "sam@example.org", "consent": True},
        {"read": 403, "other": 404, "write": 201},
    ),
    ("event-registrations", "get", "/api/v1/events/{event}/registrations", None, OWN_ONLY),
    ("shift-registrations", "get", "/api/v1/shifts/{shift}/registrations", None, OWN_ONLY),
    ("hours", "get", "/api/v1/hours", None, {"read": 200, "other": 200, "write": 200}),
    ("hours-post", "post", "/api/v1/hours", {}, {"read": 405, "other": 405, "write": 405}),
]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    ("name", "method", "path", "body", "expected"), MATRIX, ids=[row[0] for row in MATRIX]
)
def test_matrix(world, caller, name, method, path, body, expected):
    owner, _other, ids, keys = world
    url = path.format(**ids)
    if body == "new-shift":
        body = _new_shift(ids["role"])
    elif isinstance(body, str):
        body = NEW[body](owner.group.pk)
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
            SECRET_PROJECT,
            SECRET_ROLE,
            "9 Quiet Lane",
            "2 Mill Lane",
            "Private Person",
            owner.group.slug,
        ):
            assert secret not in text


def test_another_partners_hidden_event_answers_exactly_as_a_missing_one(world):
    owner, _other, ids, keys = world
    event = Event.objects.get(pk=ids["event"])
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
    owner, _other, ids, keys = world
    event = Event.objects.get(pk=ids["event"])
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
