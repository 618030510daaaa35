"""Links that add an event to a web calendar (Google Calendar). The location passed in is
already what the viewer may see (events.permissions.can_see_event_location)."""

import datetime as dt
from urllib.parse import urlencode

from events.models import Event

GOOGLE_CALENDAR_URL = "https://calendar.google.com/calendar/render"


def google_calendar_url(event: Event, *, location: str, url: str) -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    params = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{event.starts_at.astimezone(dt.UTC):{fmt}}/"
        f"{event.ends_at.astimezone(dt.UTC):{fmt}}",
        "details": url,
        "ctz": event.timezone,
    }
    if location:
        params["location"] = location
    return f"{GOOGLE_CALENDAR_URL}?{urlencode(params)}"
