import datetime as dt
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.tz import do_timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from events.ical import event_zone

register = template.Library()

# The characters that could end a <script> element or open a comment inside it.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def event_when(event):
    """When the event happens, in its own time zone, with the zone named:
    "Tue 3 Dec 2026, 18:30-20:00 (Europe/London)" (with an en dash)."""
    tz = event_zone(event)
    starts, ends = event.starts_at.astimezone(tz), event.ends_at.astimezone(tz)
    # Translators: date and time format (Django's date filter), e.g. "Tue 3 Dec 2026, 18:30".
    day_and_time = _("D j M Y, H:i")
    # Translators: time format (Django's date filter) for an end on the same day, e.g. "20:00".
    time_only = _("H:i")
    start_text = date_format(starts, day_and_time)
    end_text = date_format(ends, time_only if starts.date() == ends.date() else day_and_time)
    separator = "\u2013" if starts.date() == ends.date() else " \u2013 "
    return format_html(
        '<time datetime="{}">{}</time>{}<time datetime="{}">{}</time> ({})',
        starts.replace(microsecond=0).isoformat(),
        start_text,
        separator,
        ends.replace(microsecond=0).isoformat(),
        end_text,
        event.timezone,
    )


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
