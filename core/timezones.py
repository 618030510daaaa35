"""The one list of time zones people may choose, for profiles, events, shifts and care slots
alike, and the validator that holds models to it."""

import functools
import zoneinfo

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
