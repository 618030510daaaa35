"""Template tags for repeating events: a date said short in its event's zone ("Tue 1 Dec"),
and the standing-RSVP control of a series date's page."""

from django import template
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from core import when
from events import selectors

register = template.Library()


@register.filter
def event_day(event) -> str:
    """The day an event starts, short, in its own zone: "Tue 1 Dec"."""
    # Translators: a short date (Django's date filter) for a series' dates, e.g. "Tue 1 Dec".
    return date_format(when.local(event.starts_at, event.timezone), _("D j M"))


@register.simple_tag(takes_context=True)
def standing_rsvp_for(context, event, membership=None):
    """What the event page's standing-RSVP control shows (events.selectors.standing_rsvp_state),
    or None when the event is no date of a repeating series the viewer may keep one to."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return selectors.standing_rsvp_state(user=user, event=event, membership=membership)
