"""Bad input to the partner API: odd query values on its lists, ids beyond 64 bits, odd
registration bodies and forged registration links answer 4xx, never a 500."""

import pytest
from django.test import Client

from tests.factories import EventFactory, RoleFactory, ShiftFactory, VolunteerProjectFactory
from tests.partners.conftest import Partner, api

pytestmark = pytest.mark.django_db

ODD = [
    "",
    "x",
    "99999999999999999999",
    "-1",
    "1e400",
    "NaN",
    "9999-12-31T23:59:59+14:00",
    "0001-01-01T00:00:00-14:00",
    "2026-02-30",
    "ñ",
    "\x00",
    "1,2",
    "0,0",
    "91,181",
    "nan,nan",
    "inf,inf",
]


def test_list_filters_with_odd_values_are_never_a_500():
    partner = Partner("demo-partner", visibility="private")
    EventFactory(group=partner.group)
    project = VolunteerProjectFactory(group=partner.group)
    ShiftFactory(role=RoleFactory(project=project))
    client = api(partner.write_key)
    params = {
        "/api/v1/events": [
            "starts_after",
            "starts_before",
            "updated_since",
            "group",
            "near",
            "radius_km",
            "q",
            "cursor",
            "limit",
            "category",
        ],
        "/api/v1/projects": [
            "starts_after",
            "starts_before",
            "group",
            "near",
            "radius_km",
            "cause",
            "cursor",
            "limit",
        ],
        "/api/v1/shifts": [
            "starts_after",
            "starts_before",
            "group",
            "project",
            "near",
            "radius_km",
            "cursor",
            "limit",
        ],
        "/api/v1/hours": [
            "project",
            "worked_from",
            "worked_to",
            "verified_since",
            "cursor",
            "limit",
        ],
    }
    for path, names in params.items():
        for name in names:
            for value in ODD:
                response = client.get(path, {name: value})
                assert response.status_code < 500, (path, name, value, response.status_code)


def test_ids_beyond_64_bits_are_never_a_500():
    partner = Partner("demo-partner", visibility="private")
    client = api(partner.write_key)
    for pk in ("99999999999999999999", "0", "2147483648", "9223372036854775808"):
        for path in (
            f"/api/v1/events/{pk}",
            f"/api/v1/shifts/{pk}/signups",
            f"/api/v1/projects/{pk}",
            f"/api/v1/series/{pk}",
            f"/api/v1/events/{pk}/registrations",
            f"/api/v1/shifts/{pk}/registrations",
            f"/api/v1/events/{pk}/rsvps",
        ):
            response = client.get(path)
            assert response.status_code == 404, (path, response.status_code)


def test_registration_links_with_bad_tokens_are_404s():
    for token in ["x", "a" * 3000, "ñ", "eyJyIjoxfQ:1:abc", "..", "%00"]:
        response = Client().get(f"/partners/registrations/{token}/")
        assert response.status_code == 404, (token, response.status_code)
        response = Client().post(f"/partners/registrations/{token}/", {"answer": "accept"})
        assert response.status_code == 404


def test_registration_requests_with_bad_bodies_are_never_a_500():
    partner = Partner("demo-partner", visibility="private")
    event = EventFactory(group=partner.group)
    shift = ShiftFactory(role=RoleFactory(project=VolunteerProjectFactory(group=partner.group)))
    for path in (
        f"/api/v1/events/{event.pk}/registrations",
        f"/api/v1/shifts/{shift.pk}/registrations",
        "/api/v1/events/99999999999999999999/registrations",
    ):
        for body in (
            {"email": "ñ@ñ.es", "consent": True},
            {"email": "a" * 5000 + "@x.org", "consent": True},
            {"email": ["a@b.c"], "consent": "yes"},
            {"email": None, "consent": None},
            [],
            "x",
            {"email": "a@b.c\r\nBcc: x@y.z", "consent": True},
        ):
            response = api(partner.write_key).post(path, body, format="json")
            assert response.status_code < 500, (path, body, response.status_code)
        response = api(partner.write_key).get(path, {"cursor": "!!!", "limit": "99999999999"})
        assert response.status_code < 500


@pytest.mark.parametrize("key", ["ab\x00cd.secret", "\x00", "ab\x00cd", ".\x00"])
def test_a_key_with_a_nul_is_refused_as_any_wrong_key_never_a_500(key):
    partner = Partner("demo-partner", visibility="private")
    EventFactory(group=partner.group)
    response = api(key).get("/api/v1/events")
    assert response.status_code == 401
    assert response.json()["detail"] == "The API key is not valid."
    # And the connection answers the next call as ever.
    assert api(partner.read_key).get("/api/v1/events").status_code == 200
