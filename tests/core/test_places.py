"""Places typed by people, resolved offline (core.places): towns and cities from the gazetteer,
the operator's postcodes, suggestions and "did you mean"; organizers' addresses located by a
geocoder only when the operator configured one."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from geopy.location import Location

from core import places
from core.models import Postcode

LEEDS = (53.79648, -1.54785)


@pytest.mark.parametrize("typed", ["Leeds", "leeds", "  LEEDS ", "Leeds, GB", "Leeds, UK"])
def test_a_town_resolves_whatever_the_case_and_spacing(typed):
    place = places.resolve(typed).place
    assert place is not None
    assert (place.name, place.country) == ("Leeds", "GB")
    assert (place.latitude, place.longitude) == pytest.approx(LEEDS, abs=0.01)


@pytest.mark.parametrize("typed", ["Málaga", "malaga", "MALAGA, Spain", "Malaga, ES"])
def test_accents_and_country_names_are_folded(typed):
    place = places.resolve(typed).place
    assert (place.name, place.country) == ("Málaga", "ES")


def test_another_name_a_town_goes_by_resolves_to_it():
    assert str(places.resolve("Seville").place) == "Sevilla, ES"
    assert str(places.resolve("München").place) == "Munich, DE"


def test_the_operators_country_is_preferred(settings):
    settings.SITE_COUNTRY = "GB"
    assert str(places.resolve("Manchester").place) == "Manchester, GB"
    settings.SITE_COUNTRY = "US"
    found = places.resolve("Manchester")
    assert found.place is None
    assert "Manchester, NH, US" in [str(p) for p in found.choices]


def test_a_named_country_narrows_the_towns(settings):
    settings.SITE_COUNTRY = "GB"
    found = places.resolve("Manchester, US")
    assert found.place is None
    assert {p.country for p in found.choices} == {"US"}
    assert str(places.resolve("Manchester, NH, US").place) == "Manchester, NH, US"


def test_towns_of_similar_size_with_one_name_are_ambiguous():
    found = places.resolve("Springfield, US")
    assert found.place is None
    assert len(found.choices) > 3
    assert all(p.name == "Springfield" for p in found.choices)


def test_a_typo_gets_did_you_mean():
    found = places.resolve("Leds")
    assert found.place is None
    assert str(found.choices[0]) == "Leeds, GB"
    assert "Manchester, GB" in [str(p) for p in places.resolve("Manchestr").choices]


def test_nonsense_finds_nothing():
    assert places.resolve("qqqqzzz") == places.Resolution()
    assert places.resolve("") == places.Resolution()


def test_suggestions_start_with_what_was_typed_home_country_first(settings):
    settings.SITE_COUNTRY = "GB"
    names = [str(p) for p in places.suggest("Lee")]
    assert names[0] == "Leeds, GB"
    assert all(p.name.lower().startswith("lee") for p in places.suggest("Lee"))
    assert places.suggest("L") == []


def test_the_suggestions_endpoint_answers_json(client):
    response = client.get(reverse("place_suggestions"), {"q": "leed"})
    assert response.status_code == 200
    assert "Leeds, GB" in response.json()["suggestions"]
    assert client.get(reverse("place_suggestions")).json() == {"suggestions": []}


@pytest.mark.django_db
def test_a_loaded_postcode_resolves(tmp_path: Path):
    source = tmp_path / "codes.csv"
    source.write_text("postcode,latitude,longitude\nLS7 3EZ,53.8201,-1.5311\nLS8 5QD,53.82,-1.51\n")
    call_command("load_postcodes", str(source))
    assert Postcode.objects.count() == 2
    place = places.resolve("ls7 3ez").place
    assert (place.latitude, place.longitude) == (53.8201, -1.5311)
    assert places.resolve("LS9 9ZZ").place is None
    # Loading again updates what it holds.
    source.write_text("pcd,lat,lon\nLS7 3EZ,53.9,-1.6\n")
    call_command("load_postcodes", str(source))
    assert Postcode.objects.get(code="LS73EZ").latitude == 53.9


@pytest.mark.django_db
@pytest.mark.parametrize(
    "content",
    [
        "",
        "code,somewhere\nLS7 3EZ,1\n",
        "postcode,latitude,longitude\nLS7 3EZ,95,-1.5\n",
        "postcode,latitude,longitude\nLS7 3EZ,north,-1.5\n",
        "postcode,latitude,longitude\nLS7 3EZ,53.8\n",
        "postcode,latitude,longitude\n<script>,53.8,-1.5\n",
    ],
)
def test_bad_postcode_files_are_refused_whole(tmp_path: Path, content):
    source = tmp_path / "codes.csv"
    source.write_text(content)
    with pytest.raises(CommandError) as refused:
        call_command("load_postcodes", str(source))
    assert "\n" not in str(refused.value)
    assert Postcode.objects.count() == 0


def test_a_missing_postcode_file_is_refused(tmp_path: Path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("load_postcodes", str(tmp_path / "nowhere.csv"))


def _remote_geocoder_called(*args, **kwargs):
    raise AssertionError("no network call may be made without a geocoder configured")


def test_without_a_geocoder_no_call_is_made_and_the_town_gives_coordinates(settings, monkeypatch):
    settings.GEOCODER = ""
    monkeypatch.setattr("geopy.geocoders.Nominatim.geocode", _remote_geocoder_called)
    found = places.locate_address(address="14 Reginald Terrace", city="Leeds")
    assert found == pytest.approx(LEEDS, abs=0.01)
    assert places.locate_address(address="14 Reginald Terrace", city="") is None


def test_a_configured_geocoder_locates_the_address(settings, monkeypatch):
    settings.GEOCODER = "nominatim"
    asked = []

    def geocode(self, query, **kwargs):
        asked.append((query, kwargs.get("country_codes")))
        return Location("14 Reginald Terrace", (53.8201, -1.5311), {})

    monkeypatch.setattr("geopy.geocoders.Nominatim.geocode", geocode)
    found = places.locate_address(address="14 Reginald Terrace", city="Leeds")
    assert found == (53.8201, -1.5311)
    assert asked == [("14 Reginald Terrace, Leeds", "gb")]


def test_a_geocoder_that_fails_falls_back_to_the_town(settings, monkeypatch):
    from geopy.exc import GeocoderTimedOut

    settings.GEOCODER = "nominatim"

    def geocode(self, query, **kwargs):
        raise GeocoderTimedOut("slow")

    monkeypatch.setattr("geopy.geocoders.Nominatim.geocode", geocode)
    assert places.locate_address(address="1 Lane", city="Leeds") == pytest.approx(LEEDS, abs=0.01)
