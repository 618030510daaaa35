"""Who came: checking in people going (from the door list or their QR code) and adding
walk-ins by name. Organizers and hosts of the group do this (events.services._common.may_manage),
from a little before the event starts; attendance can be put right after it ended."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import as_actor, person_of
from core.exceptions import ServiceError
from events.models import Event, Rsvp, WalkIn
from events.services._common import clean, lock_event, record, require_manager

# Check-in opens on the day: this long before the event starts.
CHECK_IN_OPENS_BEFORE = dt.timedelta(hours=12)


def check_in_open(event: Event, now: dt.datetime | None = None) -> bool:
    """Attendance may be taken: the event is on and starts within CHECK_IN_OPENS_BEFORE (or
    has started or ended: attendance may be put right afterwards)."""
    now = now or timezone.now()
    return not event.is_cancelled and now >= event.starts_at - CHECK_IN_OPENS_BEFORE


def _require_check_in_open(event: Event) -> None:
    if event.is_cancelled:
        raise ServiceError(_("This event was cancelled."))
    if not check_in_open(event):
        raise ServiceError(_("Check-in opens on the day, 12 hours before the event starts."))


def rsvp_check_in(*, rsvp: Rsvp, actor, arrived: bool = True) -> Rsvp:
    """Mark a person going (with their guests) as arrived, or undo it (`arrived=False`);
    organizers and hosts only. Idempotent: checking in twice keeps the first time."""
    actor = as_actor(actor)
    with transaction.atomic():
        event = lock_event(rsvp.event_id)
        require_manager(actor, event.group)
        rsvp = Rsvp.objects.select_for_update().get(pk=rsvp.pk)
        _require_check_in_open(event)
        if rsvp.status != Rsvp.Status.GOING:
            raise ServiceError(_("Only people going can be checked in."))
        if arrived == (rsvp.checked_in_at is not None):
            return rsvp
        rsvp.checked_in_at = timezone.now() if arrived else None
        rsvp.save(update_fields=["checked_in_at", "updated_at"])
        record(
            actor,
            "rsvp.checked_in" if arrived else "rsvp.check_in_undone",
            rsvp,
            group_id=event.group_id,
            data={"event": event.pk, "attendee": rsvp.user_id},
        )
        rsvp.event = event
        return rsvp


def walk_in_add(*, event: Event, actor, name: str) -> WalkIn:
    """Add someone who came without an RSVP, by name; organizers and hosts only."""
    actor = as_actor(actor)
    with transaction.atomic():
        event = lock_event(event.pk)
        require_manager(actor, event.group)
        _require_check_in_open(event)
        walk_in = WalkIn(event=event, name=(name or "").strip(), added_by=person_of(actor))
        clean(walk_in)
        walk_in.save()
        # The name stays out of the log: it is a person's, typed by someone else.
        record(
            actor, "event.walk_in_added", walk_in, group_id=event.group_id, data={"event": event.pk}
        )
        return walk_in


def walk_in_remove(*, walk_in: WalkIn, actor) -> None:
    """Take back a walk-in added by mistake; organizers and hosts only."""
    actor = as_actor(actor)
    with transaction.atomic():
        event = lock_event(walk_in.event_id)
        require_manager(actor, event.group)
        record(
            actor,
            "event.walk_in_removed",
            walk_in,
            group_id=event.group_id,
            data={"event": event.pk},
        )
        WalkIn.objects.filter(pk=walk_in.pk).delete()
