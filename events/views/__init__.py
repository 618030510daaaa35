"""The events website: browse and event pages with RSVPs (browse), organizer pages (organize)
and the iCalendar files (feeds). Views shape input and call selectors, permissions and
services; a service's refusal is shown with core.web, a selector's NotFound is a 404."""

from events.views.browse import (
    event_detail,
    event_list,
    event_report,
    event_rsvp,
    event_rsvp_cancel,
    home,
    my_events,
)
from events.views.feeds import calendar_feed, event_ics, group_events_ics
from events.views.organize import (
    check_in_link,
    event_attendees,
    event_cancel,
    event_copy,
    event_edit,
    event_series_edit,
    event_series_stop,
    group_event_create,
)
from events.views.series_rsvp import standing_rsvp

__all__ = [
    "calendar_feed",
    "check_in_link",
    "event_attendees",
    "event_cancel",
    "event_copy",
    "event_detail",
    "event_edit",
    "event_ics",
    "event_list",
    "event_report",
    "event_rsvp",
    "event_rsvp_cancel",
    "event_series_edit",
    "event_series_stop",
    "group_event_create",
    "group_events_ics",
    "home",
    "my_events",
    "standing_rsvp",
]
