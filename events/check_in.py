"""Check-in codes: a signed link per RSVP, shown to the attendee as a QR code, that an
organizer's phone opens to mark them arrived (the page answers 404 to anyone else, and marking
is a POST to rsvp_check_in)."""

import segno
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

SALT = "events.check_in"


def check_in_token(rsvp) -> str:
    """The RSVP's check-in token: its id, signed (it cannot be guessed nor changed)."""
    return signing.dumps(rsvp.pk, salt=SALT, compress=True)


def rsvp_pk_from_token(token: str) -> int | None:
    """The RSVP id a token names; None when it was not made here."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def qr_svg(url: str, *, title: str) -> str:
    """The link as an inline SVG QR code with a title (screen readers say what it is)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, border=2, title=title, svgclass="qr-code", lineclass=None)
    return svg.replace("<svg ", '<svg role="img" ', 1)


def check_in_url(rsvp) -> str:
    """The full address an organizer's phone opens from the code."""
    return settings.SITE_URL + reverse("events:check_in_link", args=[check_in_token(rsvp)])


def check_in_qr(rsvp) -> str:
    """The RSVP's check-in code as an inline SVG, for "my events" and the confirmation email."""
    return qr_svg(
        check_in_url(rsvp),
        title=_("Check-in code for %(title)s") % {"title": rsvp.event.title},
    )
