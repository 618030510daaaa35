"""Writes for the partner's own organization: volunteer projects, shifts and repeating events
through the same services as the website, with the client as actor; strict input; problems."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.models import Activity
from events.models import Event, EventSeries
from tests.factories import (
    MembershipFactory,
    RoleFactory,
    ShiftFactory,
    UserFactory,
    VolunteerProjectFactory,
)
from tests.partners.conftest import api
from volunteering.models import Shift, ShiftSignup, VolunteerProject
from volunteering.services import signup_create

pytestmark = pytest.mark.django_db

PROJECT = {
    "title": "Saturday food bank",
    "cause": "food",
    "venue_name": "Community pantry",
    "timezone": "Europe/London",
    "roles": [{"name": "Sorter", "description": "Sorting donations"}, {"name": "Driver"}],
}
SHIFT = {
    "starts_at": "2031-03-01T09:00:00+00:00",
    "ends_at": "2031-03-01T12:00:00+00:00",
    "capacity": 1,
}
SERIES = {
    "title": "Tuesday rehearsal",
    "category": "music",
    "venue_name": "Hall",
    "timezone": "Europe/London",
    "rrule": "FREQ=WEEKLY;BYDAY=TU",
    "first_starts_at": "2031-03-04T19:00:00+00:00",
    "duration_minutes": 120,
    "horizon_days": 21,
}


def test_create_update_and_cancel_an_own_project_with_roles_and_shifts(partner):
    client = api(partner.write_key)
    response = client.post(
        "/api/v1/volunteer-projects", {**PROJECT, "group": partner.group.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    created = response.json()["data"]
    assert [role["name"] for role in created["roles"]] == ["Driver", "Sorter"]
    project = VolunteerProject.objects.get(pk=created["id"])
    row = Activity.objects.filter(verb="project.created").get()
    assert (row.actor_kind, row.actor_client_id) == (
        "client",
        partner.organization.clients.last().pk,
    )

    response = client.patch(
        f"/api/v1/volunteer-projects/{project.pk}", {"minimum_age": 16}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["data"]["minimum_age"] == 16

    role_id = created["roles"][0]["id"]
    response = client.post("/api/v1/shifts", {**SHIFT, "role": role_id}, format="json")
    assert response.status_code == 201, response.content
    shift = Shift.objects.get(pk=response.json()["data"]["id"])
    assert response.json()["data"]["starts_at"] == "2031-03-01T09:00:00+00:00"

    first, second = UserFactory(email="first@example.com"), UserFactory()
    for person in (first, second):
        MembershipFactory(group=partner.group, user=person)
    signup_create(shift=shift, user=first, age_confirmed=True)
    waiting = signup_create(shift=shift, user=second, age_confirmed=True)
    assert waiting.status == ShiftSignup.Status.WAITLISTED
    response = client.patch(f"/api/v1/shifts/{shift.pk}", {"capacity": 2}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert (data["signed_up_count"], data["waitlist_count"]) == (2, 0)  # promoted, as on the site

    mail.outbox.clear()
    response = client.post(f"/api/v1/shifts/{shift.pk}/cancel", {"message": "Flood"}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "cancelled"
    assert response.json()["data"]["cancellation_message"] == "Flood"

    response = client.post(f"/api/v1/volunteer-projects/{project.pk}/cancel", format="json")
    assert response.status_code == 200
    assert response.json()["data"]["status"] == "cancelled"


def test_project_rules_come_back_as_422_and_unknown_or_read_only_fields_as_400(partner):
    client = api(partner.write_key)
    body = {**PROJECT, "group": partner.group.pk, "venue_name": ""}
    response = client.post("/api/v1/volunteer-projects", body, format="json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == {
        "venue_name": ["Give a venue or an address, or mark it remote."]
    }
    assert not VolunteerProject.objects.exists()

    body = {**PROJECT, "group": partner.group.pk, "status": "cancelled", "colour": "red"}
    response = client.post("/api/v1/volunteer-projects", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "status": ["This field is read-only."],
        "colour": ["Unknown field."],
    }
    project = VolunteerProjectFactory(group=partner.group)
    response = client.patch(
        f"/api/v1/volunteer-projects/{project.pk}", {"roles": [], "group": 1}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"roles", "group"}


def test_a_duplicate_role_name_rolls_the_whole_project_back(partner):
    body = {**PROJECT, "group": partner.group.pk, "roles": [{"name": "Driver"}, {"name": "driver"}]}
    response = api(partner.write_key).post("/api/v1/volunteer-projects", body, format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": ["The project already has a role by this name."]}
    assert not VolunteerProject.objects.exists()


def test_shifts_only_for_roles_of_own_projects(partner, other_partner):
    theirs = RoleFactory(project=VolunteerProjectFactory(group=other_partner.group))
    public = RoleFactory()
    client = api(partner.write_key)
    for role in (theirs, public):
        response = client.post("/api/v1/shifts", {**SHIFT, "role": role.pk}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "role": ["Not a role of your organization's projects."]
        }
    public_shift = ShiftFactory(role=public)
    response = client.patch(f"/api/v1/shifts/{public_shift.pk}", {"capacity": 9}, format="json")
    assert response.status_code == 404
    response = client.post(f"/api/v1/shifts/{public_shift.pk}/cancel", format="json")
    assert response.status_code == 404
    assert not Shift.objects.filter(status="cancelled").exists()


def test_shift_rules_and_moving_a_shift_to_another_role(partner):
    shift = ShiftFactory(role=RoleFactory(project=VolunteerProjectFactory(group=partner.group)))
    client = api(partner.write_key)
    response = client.patch(
        f"/api/v1/shifts/{shift.pk}", {"ends_at": "2000-01-01T00:00:00+00:00"}, format="json"
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["ends_at"]
    response = client.patch(f"/api/v1/shifts/{shift.pk}", {"role": 3}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"role": ["This cannot be changed once created."]}
    response = client.patch(
        f"/api/v1/shifts/{shift.pk}", {"starts_at": "2031-03-01T09:00:00"}, format="json"
    )
    assert response.status_code == 400


def test_create_update_and_stop_a_repeating_event(partner):
    client = api(partner.write_key)
    first = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)
    body = {**SERIES, "group": partner.group.pk, "first_starts_at": first.isoformat()}
    body["rrule"] = "FREQ=WEEKLY"  # dates at +1, +8 and +15 days
    response = client.post("/api/v1/event-series", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["rrule"].startswith("FREQ=WEEKLY")
    series = EventSeries.objects.get(pk=data["id"])
    assert series.occurrences.count() == 3  # 21 days ahead, as the website makes them
    assert client.get(f"/api/v1/event-series/{series.pk}").json()["data"]["id"] == series.pk

    response = client.patch(
        f"/api/v1/event-series/{series.pk}", {"title": "Wednesday rehearsal"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["data"]["title"] == "Wednesday rehearsal"
    assert not Event.objects.filter(series=series).exclude(title="Wednesday rehearsal").exists()

    response = client.post(f"/api/v1/event-series/{series.pk}/stop", {}, format="json")
    assert response.status_code == 200
    assert response.json()["data"]["is_running"] is False
    assert not series.occurrences.filter(status="scheduled").exists()


def test_series_rules_name_the_api_fields(partner):
    client = api(partner.write_key)
    body = {**SERIES, "group": partner.group.pk, "rrule": "FREQ=SOMETIMES"}
    response = client.post("/api/v1/event-series", body, format="json")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["rrule"]
    body = {**SERIES, "group": partner.group.pk, "duration_minutes": 0}
    response = client.post("/api/v1/event-series", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["duration_minutes"]
    body = {**SERIES, "group": partner.group.pk, "is_running": False}
    response = client.post("/api/v1/event-series", body, format="json")
    assert response.json()["errors"] == {"is_running": ["This field is read-only."]}


def test_a_read_key_writes_nothing(partner):
    client = api(partner.read_key)
    assert (
        client.post(
            "/api/v1/volunteer-projects", {**PROJECT, "group": partner.group.pk}, format="json"
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/event-series", {**SERIES, "group": partner.group.pk}, format="json"
        ).status_code
        == 403
    )
    assert not VolunteerProject.objects.exists()
    assert not EventSeries.objects.exists()
