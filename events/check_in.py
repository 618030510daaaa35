"""Check-in codes: a signed link per RSVP, shown to the attendee as a QR code, that an
organizer's phone opens to mark them arrived (the page answers 404 to anyone else, and marking
is a POST to rsvp_check_in)."""

import segno
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

SALT = "events.check_in"
# A drawn code is kept this long. Drawing one is the costly part of "my events" (segno tries
# every mask), and the code of an RSVP never needs to change: its token names the RSVP only
# and is accepted whenever it was signed.
QR_CACHE_SECONDS = 60 * 60 * 24 * 30


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


def _qr_title(rsvp) -> str:
    return _("Check-in code for %(title)s") % {"title": rsvp.event.title}


def _qr_cache_key(rsvp, title: str) -> str:
    """The cache key of an RSVP's drawn code: an HMAC (under SECRET_KEY, so a new key draws
    new codes) of the RSVP, its person, the site's address and the code's title. Only a page
    showing this very RSVP to its own person asks for it."""
    name = f"{rsvp.pk}:{rsvp.user_id}:{settings.SITE_URL}:{title}"
    return "events:check-in-qr:" + salted_hmac(SALT + ".qr", name).hexdigest()


def check_in_qrs(rsvps) -> dict[int, str]:
    """The check-in codes of these RSVPs (each the inline SVG of check_in_qr), by RSVP id:
    those drawn before from the cache in one round trip, the others drawn and stored."""
    keys = {}
    for rsvp in rsvps:
        title = _qr_title(rsvp)
        keys[_qr_cache_key(rsvp, title)] = (rsvp, title)
    found = cache.get_many(list(keys))
    drawn = {
        key: qr_svg(check_in_url(rsvp), title=title)
        for key, (rsvp, title) in keys.items()
        if key not in found
    }
    if drawn:
        cache.set_many(drawn, timeout=QR_CACHE_SECONDS)
    return {rsvp.pk: found.get(key) or drawn[key] for key, (rsvp, _title) in keys.items()}


def check_in_qr(rsvp) -> str:
    """The RSVP's check-in code as an inline SVG, for "my events" and the confirmation email."""
    return check_in_qrs([rsvp])[rsvp.pk]
