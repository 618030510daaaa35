"""The crisis signpost: helplines the operator lists per country (CRISIS_HELPLINES), shown in
the footer of every page and on the pages of support and recovery groups. Nothing is shown
when the setting is empty.

The setting is one line: entries separated by ";", each "Country|Name|phone|https://web-address"
(phone and address optional, at least one of them given), e.g.
"United Kingdom|Samaritans|116 123|https://www.samaritans.org;Ireland|Samaritans|116 123".
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import URLValidator


@dataclass(frozen=True)
class Helpline:
    country: str
    name: str
    phone: str = ""
    url: str = ""

    @property
    def tel(self) -> str:
        """The phone number as a tel: link target (digits and a leading +)."""
        return "".join(c for c in self.phone if c.isdigit() or c == "+")


@functools.cache
def parse(value: str) -> tuple[Helpline, ...]:
    """The helplines written in `value`; ImproperlyConfigured for a malformed entry."""
    helplines = []
    for entry in value.split(";"):
        if not entry.strip():
            continue
        parts = [part.strip() for part in entry.split("|")]
        if len(parts) < 3 or len(parts) > 4 or not parts[0] or not parts[1]:
            raise ImproperlyConfigured(
                f"CRISIS_HELPLINES: {entry.strip()!r} is not Country|Name|phone|https://address"
            )
        country, name, phone, url = (*parts, "")[:4]
        if not phone and not url:
            raise ImproperlyConfigured(f"CRISIS_HELPLINES: {name!r} needs a phone or an address")
        if url:
            try:
                URLValidator(schemes=["https", "http"])(url)
            except ValidationError:
                raise ImproperlyConfigured(
                    f"CRISIS_HELPLINES: {url!r} is not a web address"
                ) from None
        helplines.append(Helpline(country=country, name=name, phone=phone, url=url))
    return tuple(helplines)


def helplines() -> tuple[Helpline, ...]:
    """The configured helplines, in the operator's order (empty when none are set)."""
    return parse(getattr(settings, "CRISIS_HELPLINES", "") or "")


def by_country() -> list[tuple[str, list[Helpline]]]:
    """The helplines grouped by country, countries in the order they were first named."""
    grouped: dict[str, list[Helpline]] = {}
    try:
        configured = helplines()
    except ImproperlyConfigured:
        # `manage.py check` names the mistake; a page never fails over it.
        return []
    for helpline in configured:
        grouped.setdefault(helpline.country, []).append(helpline)
    return list(grouped.items())


@register()
def helplines_are_well_formed(app_configs=None, **kwargs):
    """`manage.py check` (and every start) refuses a CRISIS_HELPLINES it cannot read."""
    try:
        helplines()
    except ImproperlyConfigured as error:
        return [Error(str(error), id="connect.E010")]
    return []
