"""The OpenAPI document and the docs page: served from this site, describing what the API
really returns."""

import re

import pytest
from django.test import Client

from partners.api import representations, schema
from tests.factories import EventFactory, GroupFactory, RsvpFactory

pytestmark = pytest.mark.django_db


def test_schema_is_served_and_names_every_operation():
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    body = response.json() if "json" in response["Content-Type"] else None
    text = response.content.decode()
    for operation in (
        "groups_list",
        "groups_get",
        "events_list",
        "events_create",
        "events_get",
        "events_update",
        "events_cancel",
        "events_rsvps_list",
        "event_series_create",
        "event_series_get",
        "event_series_update",
        "event_series_stop",
        "volunteer_projects_list",
        "volunteer_projects_create",
        "volunteer_projects_get",
        "volunteer_projects_update",
        "volunteer_projects_cancel",
        "shifts_list",
        "shifts_create",
        "shifts_get",
        "shifts_update",
        "shifts_cancel",
        "shifts_signups_list",
        "hours_list",
        "events_registrations_create",
        "shifts_registrations_create",
        "events_registrations_list",
        "shifts_registrations_list",
    ):
        assert operation in text
    if body is not None:
        assert body["components"]["securitySchemes"]["ApiKey"]["name"] == "Authorization"


def test_docs_page_loads_nothing_from_another_host():
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(src.startswith("/") for src in sources), sources
    assert "<script>" not in html  # the set-up script is a file too (CSP: 'self' only)
    assert "<style" not in html  # its style is a static file too (templates/drf_spectacular)
    script = Client().get("/api/v1/docs/?script=")
    assert script.status_code == 200


def test_documented_shapes_match_what_the_api_returns():
    event = EventFactory()
    RsvpFactory(event=event)
    from partners.selectors import api_event_row, own_event_rsvps

    row = api_event_row(group_ids=frozenset(), pk=event.pk)
    assert set(representations.event_data(row, own=False)) == set(schema.EventOut().fields)
    assert set(representations.group_data(GroupFactory(), own=False)) == set(
        schema.GroupOut().fields
    )
    rsvp = own_event_rsvps(event=event).get()
    assert set(representations.rsvp_data(rsvp)) == set(schema.RsvpOut().fields)


def test_documented_volunteering_and_series_shapes_match_what_the_api_returns():
    import datetime as dt

    from django.utils import timezone

    from core.actors import Actor
    from events.services import event_series_create
    from partners import selectors
    from tests.factories import MembershipFactory, RoleFactory, ShiftFactory, UserFactory
    from volunteering.hours.services import hours_entry_log, hours_entry_verify
    from volunteering.services import signup_create

    shift = ShiftFactory(role=RoleFactory())
    project = shift.role.project
    volunteer = UserFactory()
    MembershipFactory(group=project.group, user=volunteer)
    signup_create(shift=shift, user=volunteer)
    entry = hours_entry_log(
        volunteer=volunteer,
        project=project,
        worked_on=timezone.localdate(),
        minutes=30,
        actor=volunteer,
    )
    hours_entry_verify(entry=entry, actor=Actor.system("test"))
    own = frozenset({project.group_id})
    row = selectors.api_project_row(group_ids=own, pk=project.pk)
    assert set(representations.project_data(row, own=True)) == set(schema.ProjectOut().fields)
    row = selectors.api_shift_row(group_ids=own, pk=shift.pk)
    assert set(representations.shift_data(row, own=True)) == set(schema.ShiftOut().fields)
    signup = selectors.own_shift_signups(shift=shift).get()
    assert set(representations.signup_data(signup)) == set(schema.SignupOut().fields)
    hours = selectors.own_verified_hours(group_ids=own).get()
    assert set(representations.hours_data(hours)) == set(schema.HoursOut().fields)
    series = event_series_create(
        group=project.group,
        actor=Actor.system("test"),
        rrule="FREQ=WEEKLY",
        first_starts_at=timezone.now() + dt.timedelta(days=1),
        duration=dt.timedelta(hours=1),
        title="Weekly",
        category="music",
        venue_name="Hall",
    )
    assert set(representations.series_data(series)) == set(schema.SeriesOut().fields)
    from partners.models import Registration

    registration = Registration(pk=1, email="a@example.org", shift=shift, consent_at=timezone.now())
    assert set(representations.registration_data(registration)) == set(
        schema.RegistrationOut().fields
    )


def test_every_operation_has_an_example():
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            contents = [*operation.get("requestBody", {}).get("content", {}).values()]
            for response in operation.get("responses", {}).values():
                contents += response.get("content", {}).values()
            if not any(content.get("examples") for content in contents):
                missing.append(f"{method} {path}")
    assert missing == []
