"""The API's JSON renderer (orjson) says what DRF's own renderer says."""

import datetime as dt
import decimal
import uuid
import zoneinfo

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers

from partners.api.renderers import JSONRenderer

BODIES = [
    {"data": [], "next": None},
    {
        "data": [
            {
                "id": 7,
                "title": "Café sing-along — 合唱 🎶",
                "own": True,
                "tags": ["choir", "newcomers"],
                "latitude": 51.5074,
                "longitude": -0.1278,
                "capacity": None,
                "nested": {"a": [1, 2.5, {"b": False}]},
            }
        ],
        "next": "https://connect.example/api/v1/events?cursor=abc&limit=50",
    },
    {"line": "one\u2028two\u2029three", "control": "tab\tnul\x00bell\x07", "quote": 'a"b\\c'},
    {"when": dt.datetime(2026, 12, 3, 18, 30, tzinfo=dt.UTC)},
    {"when": dt.datetime(2026, 12, 3, 18, 30, 5, 120000, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))},
    {"day": dt.date(2026, 12, 3), "at": dt.time(18, 30), "for": dt.timedelta(hours=2)},
    {"money": decimal.Decimal("12.50"), "id": uuid.UUID("12345678-1234-5678-1234-567812345678")},
    {"detail": gettext_lazy("Not found."), "ids": {3, 1}, "pair": (1, "x")},
    {1: "an int key", "big": 2**62},
]


@pytest.mark.parametrize("body", BODIES)
def test_the_body_is_what_drf_would_send(body):
    assert JSONRenderer().render(body) == renderers.JSONRenderer().render(body)


def test_an_indent_asked_for_is_given_as_drf_gives_it():
    body = {"data": [{"id": 1, "title": "Choir"}]}
    media = "application/json; indent=2"
    rendered = JSONRenderer().render(body, media, {})
    assert rendered == renderers.JSONRenderer().render(body, media, {})
    assert b"\n  " in rendered


def test_nothing_is_an_empty_body():
    assert JSONRenderer().render(None) == b""


def test_what_json_cannot_encode_is_refused_as_drf_refuses_it():
    with pytest.raises(TypeError):
        JSONRenderer().render({"x": object()})


def test_what_orjson_refuses_is_rendered_by_drf():
    """An integer beyond 64 bits, nesting deeper than orjson goes: DRF's renderer answers."""
    deep: list = []
    for _level in range(300):
        deep = [deep]
    for body in ({"big": 2**70, "small": -(2**70)}, {"deep": deep}):
        assert JSONRenderer().render(body) == renderers.JSONRenderer().render(body)
