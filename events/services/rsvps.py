"""RSVPs: seats, the waitlist and promotion from it.

Every function locks the event row first and keeps the lock until its transaction ends, so seat
counts, waitlist positions and promotions are decided one request at a time; the seats
themselves are taken with core.capacity's conditional UPDATE and guarded by a CheckConstraint.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import bus
from core.capacity import seats_release, seats_take
from core.exceptions import ServiceError
from events import notifications
from events.models import Event, Rsvp
from events.services._common import local_time, lock_event, require_manager
from groups.permissions import is_active_member

ACTIVE = (Rsvp.Status.GOING, Rsvp.Status.WAITLISTED)


def _when(event: Event, value) -> str:
    local = local_time(value, event.timezone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({event.timezone})"


def _require_not_over(event: Event, now) -> None:
    if event.ends_at <= now:
        raise ServiceError(_("This event has already ended."))


def _require_open_for_rsvp(event: Event, now) -> None:
    if event.status != Event.Status.SCHEDULED:
        raise ServiceError(_("This event was cancelled."))
    _require_not_over(event, now)
    if event.rsvp_opens_at is not None and now < event.rsvp_opens_at:
        raise ServiceError(
            _("RSVPs open on %(when)s.") % {"when": _when(event, event.rsvp_opens_at)}
        )
    if event.rsvp_closes_at is not None and now >= event.rsvp_closes_at:
        raise ServiceError(_("RSVPs for this event are closed."))


def _require_guests_allowed(event: Event, guests: int) -> None:
    if guests < 0:
        raise ServiceError(_("The number of guests cannot be negative."))
    if guests > event.guests_allowed:
        if event.guests_allowed == 0:
            raise ServiceError(_("This event does not allow guests."))
        raise ServiceError(
            _("You can bring at most %(count)s guests.") % {"count": event.guests_allowed}
        )


def _next_waitlist_position(event: Event) -> int:
    # Computed under the event lock, so two arrivals never share a position.
    last = Rsvp.objects.filter(event=event).aggregate(last=Max("waitlist_position"))["last"]
    return (last or 0) + 1


def promote_waitlist(event: Event) -> list[Rsvp]:
    """Give free seats to waitlisted RSVPs in arrival order, skipping those that do not fit.
    Call with the event locked."""
    if event.status != Event.Status.SCHEDULED or event.ends_at <= timezone.now():
        return []
    event.refresh_from_db(fields=["capacity", "seats_taken"])
    promoted = []
    waiting = Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED).select_related("user")
    for rsvp in waiting.order_by("waitlist_position", "pk"):
        left = event.seats_left
        if left == 0:
            break
        if left is not None and rsvp.seats > left:
            continue
        if not seats_take(model=Event, pk=event.pk, seats=rsvp.seats):
            continue
        event.seats_taken += rsvp.seats
        rsvp.status = Rsvp.Status.GOING
        rsvp.waitlist_position = None
        rsvp.event = event
        rsvp.save(update_fields=["status", "waitlist_position", "updated_at"])
        notifications.on_rsvp_promoted(rsvp=rsvp)
        bus.publish("rsvp.updated", rsvp=rsvp)
        promoted.append(rsvp)
    return promoted


def _change_guests(event: Event, rsvp: Rsvp, guests: int) -> Rsvp:
    difference = guests - rsvp.guests
    if difference == 0:
        return rsvp
    if rsvp.status == Rsvp.Status.GOING:
        if difference > 0 and not seats_take(model=Event, pk=event.pk, seats=difference):
            raise ServiceError(
                _("There are not enough seats left for %(count)s more guests.")
                % {"count": difference}
            )
        if difference < 0:
            seats_release(model=Event, pk=event.pk, seats=-difference)
    rsvp.guests = guests
    rsvp.save(update_fields=["guests", "updated_at"])
    bus.publish("rsvp.updated", rsvp=rsvp)
    # Fewer seats wanted: they may go to the waitlist, or let this waitlisted RSVP fit now.
    if difference < 0:
        promote_waitlist(event)
        rsvp.refresh_from_db()
    return rsvp


def rsvp_create(*, event: Event, user, guests: int = 0) -> Rsvp:
    """RSVP going: a seat when 1 + guests fit, else the waitlist. Also changes the guests of an
    existing RSVP and turns "not going" back into going."""
    with transaction.atomic():
        event = lock_event(event.pk)
        if user is None or not user.is_authenticated or not is_active_member(user, event.group):
            raise ServiceError(_("Join the group to RSVP."))
        now = timezone.now()
        _require_open_for_rsvp(event, now)
        _require_guests_allowed(event, guests)
        rsvp = Rsvp.objects.filter(event=event, user=user).first()
        if rsvp is not None and rsvp.status in ACTIVE:
            return _change_guests(event, rsvp, guests)
        if rsvp is None:
            rsvp = Rsvp(event=event, user=user)
        rsvp.event = event
        rsvp.guests = guests
        if seats_take(model=Event, pk=event.pk, seats=1 + guests):
            rsvp.status = Rsvp.Status.GOING
            rsvp.waitlisted_at = None
            rsvp.waitlist_position = None
            rsvp.save()
            notifications.on_rsvp_confirmed(rsvp=rsvp)
        else:
            rsvp.status = Rsvp.Status.WAITLISTED
            rsvp.waitlisted_at = now
            rsvp.waitlist_position = _next_waitlist_position(event)
            rsvp.save()
            notifications.on_rsvp_waitlisted(rsvp=rsvp)
        bus.publish("rsvp.created", rsvp=rsvp)
        return rsvp


def _leave(event: Event, rsvp: Rsvp) -> Rsvp:
    """Going or waitlisted -> not going; the seats go to the waitlist."""
    was_going = rsvp.status == Rsvp.Status.GOING
    rsvp.status = Rsvp.Status.NOT_GOING
    rsvp.waitlist_position = None
    rsvp.event = event
    rsvp.save(update_fields=["status", "waitlist_position", "updated_at"])
    if was_going:
        seats_release(model=Event, pk=event.pk, seats=rsvp.seats)
    notifications.on_rsvp_cancelled(rsvp=rsvp)
    bus.publish("rsvp.cancelled", rsvp=rsvp)
    if was_going:
        promote_waitlist(event)
    return rsvp


def rsvp_decline(*, event: Event, user) -> Rsvp:
    """The user is not going: a going or waitlisted RSVP gives up its place; without one, a
    "not going" answer is recorded."""
    with transaction.atomic():
        event = lock_event(event.pk)
        if user is None or not user.is_authenticated:
            raise ServiceError(_("Join the group to RSVP."))
        now = timezone.now()
        _require_not_over(event, now)
        rsvp = Rsvp.objects.filter(event=event, user=user).first()
        if rsvp is None:
            if not is_active_member(user, event.group):
                raise ServiceError(_("Join the group to RSVP."))
            if event.status != Event.Status.SCHEDULED:
                raise ServiceError(_("This event was cancelled."))
            return Rsvp.objects.create(event=event, user=user, status=Rsvp.Status.NOT_GOING)
        if rsvp.status == Rsvp.Status.NOT_GOING:
            return rsvp
        return _leave(event, rsvp)


def rsvp_cancel(*, rsvp: Rsvp, actor) -> Rsvp:
    """Cancel an RSVP: its owner may, and so may the group's organizers and hosts. Freed seats
    go to the waitlist in arrival order."""
    with transaction.atomic():
        event = lock_event(rsvp.event_id)
        rsvp = Rsvp.objects.select_related("user").get(pk=rsvp.pk)
        if actor is None or not actor.is_authenticated:
            raise PermissionDenied
        if actor.pk != rsvp.user_id:
            require_manager(actor, event.group)
        _require_not_over(event, timezone.now())
        if rsvp.status == Rsvp.Status.NOT_GOING:
            return rsvp
        return _leave(event, rsvp)
