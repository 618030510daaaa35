"""core.places.point_for_place: one rule for where an organizer's typed place is on a map
(events, series and volunteer projects all call it)."""

from types import SimpleNamespace

import pytest

from core.places import point_for_place

FIELDS = ("venue_name", "address", "city")


def _group(city="Leeds", lat=1.0, lon=2.0):
    return SimpleNamespace(city=city, latitude=lat, longitude=lon)


def test_an_unchanged_place_keeps_its_point():
    current = SimpleNamespace(venue_name="Hall", address="", city="Leeds", latitude=5, longitude=6)
    data = {"venue_name": "Hall", "address": "", "city": "Leeds"}
    assert point_for_place(data, fields=FIELDS, current=current, group=_group()) == (5, 6)


def test_no_place_has_no_point():
    assert point_for_place({}, fields=FIELDS, group=_group(), no_place=True) == (None, None)


def test_the_town_typed_gives_the_point():
    lat, lon = point_for_place({"city": "Manchester"}, fields=FIELDS, group=_group())
    assert lat == pytest.approx(53.48, abs=0.1)
    assert lon == pytest.approx(-2.24, abs=0.1)


def test_a_blank_town_takes_the_groups_town_then_its_point():
    assert point_for_place({}, fields=FIELDS, group=_group(city="Leeds"))[0] == pytest.approx(
        53.8, abs=0.1
    )
    unknown = _group(city="Nowhere-on-any-map", lat=1.0, lon=2.0)
    assert point_for_place({}, fields=FIELDS, group=unknown) == (1.0, 2.0)


def test_an_unknown_town_of_its_own_has_no_point():
    group = _group(city="Leeds", lat=1.0, lon=2.0)
    assert point_for_place({"city": "Nowhere-on-any-map"}, fields=FIELDS, group=group) == (
        None,
        None,
    )
