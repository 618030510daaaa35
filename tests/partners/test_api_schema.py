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
