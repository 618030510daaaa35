"""Messages from organizers and hosts to an event's people ("Room changed to 2B"), through the
notifications outbox: their channels and preferences, never an organizer's address."""

from django.db import transaction

from core import activity
from core.actors import as_actor, person_of
from events import notifications
from events.models import Event
from events.services._common import require_manager
from groups.services import clean_message


def event_message_send(*, event: Event, actor, subject: str, body: str) -> int:
    """Message the people going to and waiting for the event; organizers and hosts. Kept in
    the activity log (subject and how many notices). Returns the number of notices written."""
    actor = as_actor(actor)
    require_manager(actor, event.group)
    subject, body = clean_message(subject, body)
    with transaction.atomic():
        row = activity.record(
            actor=actor, verb="event.messaged", subject=event, group_id=event.group_id, data={}
        )
        sent = notifications.on_event_message(
            event=event, sender=person_of(actor), subject=subject, body=body, key=str(row.pk)
        )
        row.data = {"subject": subject, "notices": sent}
        row.save(update_fields=["data"])
        return sent
