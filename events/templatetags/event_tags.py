import datetime as dt
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.tz import do_timezone
from django.utils.safestring import mark_safe

from core import when
from events import cards, check_in
from events.ical import event_zone

register = template.Library()

# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def event_when(event):
    """When the event happens, in its own time zone, with the zone named:
    "Tue 3 Dec 2026, 18:30-20:00 (Europe/London)" (with an en dash; core.when)."""
    return when.span_html(event.starts_at, event.ends_at, event.timezone)


@register.filter
def event_local(value: dt.datetime, event):
    """A moment shown in the event's time zone. Marked like Django's `timezone` filter, so the
    `date` filter after it does not turn it back into the site's zone."""
    return do_timezone(value, event_zone(event)) if value else value


@register.filter
def jsonld(data):
    """Structured data for a <script type="application/ld+json"> block, escaped so that text
    written by members cannot close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return mark_safe(text)  # noqa: S308 - every character that could end the script is escaped


@register.simple_tag
def check_in_qr(rsvp):
    """The RSVP's check-in code (an inline SVG QR code with a title) to show at the door; the
    one a view fetched for its whole page (`check_in_code`, check_in.check_in_qrs) when set."""
    code = getattr(rsvp, "check_in_code", None) or check_in.check_in_qr(rsvp)
    return mark_safe(code)  # noqa: S308 - segno's SVG, no user text but the escaped title


@register.simple_tag
def event_cards(events, show_distance=False):
    """The cards of a list of events (events.cards)."""
    return cards.cards_html(events, show_distance=bool(show_distance))
