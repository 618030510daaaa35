"""Check-in codes: a signed link per RSVP, shown to the attendee as a QR code, that an
organizer's phone opens to mark them arrived (the page answers 404 to anyone else, and marking
is a POST to rsvp_check_in)."""

import segno
from django.core import signing

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
