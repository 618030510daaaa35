"""What the events app tells people, and when.

The events services call these hooks inside their own transaction, right after the write that
caused them, so a notice or reminder is written (or moved, or cancelled) atomically with the
RSVP or event change. The notifications app owns delivery; this module owns the event kinds.
"""

from events.models import Event, Rsvp


def on_rsvp_confirmed(*, rsvp: Rsvp) -> None:
    """A seat was confirmed (new RSVP going): confirmation notice and reminders."""


def on_rsvp_promoted(*, rsvp: Rsvp) -> None:
    """A waitlisted RSVP got a seat: promotion notice and reminders."""


def on_rsvp_waitlisted(*, rsvp: Rsvp) -> None:
    """An RSVP went on the waitlist."""


def on_rsvp_cancelled(*, rsvp: Rsvp) -> None:
    """An RSVP was cancelled (not going any more): its reminders are cancelled."""


def on_event_changed(*, event: Event, changed_fields: set[str]) -> None:
    """Time or place changed: pending reminders move; people going are told."""


def on_event_cancelled(*, event: Event, message: str) -> None:
    """The event was cancelled: reminders are cancelled; people going are told."""


def on_event_created(*, event: Event) -> None:
    """A new event in a group: members who opted in are told."""
