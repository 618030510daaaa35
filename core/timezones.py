"""The one list of time zones people may choose, for profiles, events, shifts and care slots
alike, and the validator that holds models to it."""

import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Copies of the whole database under another root, and names that are no zone at all. Legacy
# aliases ("US/Eastern", "GB") stay: people chose them and they keep working.
_HIDDEN_PREFIXES = ("posix/", "right/")
_HIDDEN_NAMES = frozenset({"Factory", "localtime", "posixrules"})


@functools.cache
def timezone_names() -> frozenset[str]:
    """Every IANA zone people may choose."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if name not in _HIDDEN_NAMES and not name.startswith(_HIDDEN_PREFIXES)
    }
    return frozenset(names)


@functools.cache
def timezone_choices() -> list[tuple[str, str]]:
    """The zones as select options, sorted, with UTC first."""
    names = sorted(timezone_names() - {"UTC"})
    return [("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names)]


def validate_timezone(value: str) -> None:
    """Refuse a zone that is not on the list (a typo, or a legacy alias such as "EST")."""
    if value not in timezone_names():
        raise ValidationError(
            _("“%(value)s” is not a known time zone."), code="timezone", params={"value": value}
        )


# The zones most members live in, offered first so that nobody scrolls through 600 names.
COMMON_TIMEZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Lisbon",
    "Europe/Madrid",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Rome",
    "Europe/Athens",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Santiago",
    "America/Argentina/Buenos_Aires",
    "Asia/Kolkata",
    "Australia/Sydney",
    "UTC",
)


def site_timezone() -> str:
    """The site's own zone (SITE_TIME_ZONE): what a new account starts with and the picker
    offers first, so nobody ends up in UTC by surprise."""
    name = getattr(settings, "SITE_TIME_ZONE", "") or "UTC"
    return name if name in timezone_names() else "UTC"


def common_timezone_choices() -> list:
    """The zones as a short picker: the site's zone and the common ones first, then every
    other zone (grouped choices, each zone once)."""
    first = [site_timezone(), *(n for n in COMMON_TIMEZONES if n != site_timezone())]
    first = [name for name in first if name in timezone_names()]
    rest = sorted(timezone_names() - set(first))
    label = lambda name: name.replace("_", " ")  # noqa: E731
    return [
        (_("Common time zones"), [(name, label(name)) for name in first]),
        (_("All other time zones"), [(name, label(name)) for name in rest]),
    ]
