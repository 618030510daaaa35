"""Every write with a rule in the events app: RSVPs, events and recurring series.

Each service takes an `actor` (a User, or a core.actors.Actor: a person or the system), runs in
one transaction, checks who may act (core.exceptions.NotAllowed) and the rules (ServiceError with
field errors, from Event/EventSeries.clean), writes the activity log (core.activity), calls the
hooks in events.notifications and announces what happened with core.bus.publish.
"""

from events.services.attendance import rsvp_check_in, walk_in_add, walk_in_remove
from events.services.events import event_cancel, event_create, event_update
from events.services.messages import event_message_send
from events.services.rsvps import (
    rsvp_admit,
    rsvp_cancel,
    rsvp_create,
    rsvp_create_joining,
    rsvp_decline,
)
from events.services.series import (
    event_series_create,
    event_series_end,
    event_series_materialize,
    event_series_update,
)
from events.services.series_rsvps import (
    series_rsvp_start,
    series_rsvp_stop,
    series_rsvps_apply,
    series_rsvps_end,
)

__all__ = [
    "event_cancel",
    "event_create",
    "event_message_send",
    "event_series_create",
    "event_series_end",
    "event_series_materialize",
    "event_series_update",
    "event_update",
    "rsvp_admit",
    "rsvp_cancel",
    "rsvp_check_in",
    "rsvp_create",
    "rsvp_create_joining",
    "rsvp_decline",
    "series_rsvp_start",
    "series_rsvp_stop",
    "series_rsvps_apply",
    "series_rsvps_end",
    "walk_in_add",
    "walk_in_remove",
]
