"""RSVPs: seats, the waitlist and promotion from it.

Every function locks the event row first and keeps the lock until its transaction ends, so seat
counts, waitlist positions and promotions are decided one request at a time; the seats
themselves are taken with core.capacity's conditional UPDATE and guarded by a CheckConstraint.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import bus
from core.actors import Actor, as_actor
from core.capacity import promote_in_arrival_order, seats_release, seats_take
from core.exceptions import NotAllowed, ServiceError
from events import notifications
from events.models import Event, Rsvp, RsvpAvailability
from events.rsvp_state import availability_message
from events.services._common import lock_event, may_manage, record
from groups.models import Group, Membership
from groups.permissions import is_active_member
from groups.services import membership_join

ACTIVE = (Rsvp.Status.GOING, Rsvp.Status.WAITLISTED)


def _require_not_over(event: Event, now) -> None:
    if event.has_ended(now):
        raise ServiceError(availability_message(event, RsvpAvailability.ENDED))


def _require_open_for_rsvp(event: Event, now) -> None:
    availability = event.rsvp_availability(now)
    if availability != RsvpAvailability.OPEN:
        raise ServiceError(availability_message(event, availability))


def _attendee_acting(actor, user) -> Actor:
    """Who answers for `user`: the attendee themselves (the default), or the system (demo
    data); nobody answers for someone else."""
    if user is None or not user.is_authenticated:
        raise ServiceError(_("Join the group to RSVP."))
    actor = as_actor(actor) if actor is not None else as_actor(user)
    if actor is None or not (actor.is_system or (actor.is_person and actor.user_id == user.pk)):
        raise NotAllowed(_("People RSVP for themselves."))
    return actor


def _status_before(event: Event, user) -> str | None:
    return Rsvp.objects.filter(event=event, user=user).values_list("status", flat=True).first()


def _record_for_someone_else(actor: Actor, rsvp: Rsvp, was: str | None) -> None:
    if _by_someone_else(actor, rsvp) and was != rsvp.status:
        record(
            actor,
            "rsvp.changed_by_organizer",
            rsvp,
            group_id=rsvp.event.group_id,
            data={"event": rsvp.event_id, "attendee": rsvp.user_id, "status": [was, rsvp.status]},
        )


def _by_someone_else(actor: Actor, rsvp: Rsvp) -> bool:
    return not (actor.is_person and actor.user_id == rsvp.user_id)


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


# Seats freed by anyone go to the waitlist by the rule, not by a person's choice.
PROMOTION = Actor.system("waitlist promotion")


def promote_waitlist(event: Event) -> list[Rsvp]:
    """Give free seats to waitlisted RSVPs in arrival order, skipping those that do not fit.
    Call with the event locked."""
    if event.is_cancelled or event.has_ended():
        return []
    waiting = Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED).select_related("user")

    def promote(rsvp: Rsvp) -> None:
        rsvp.status = Rsvp.Status.GOING
        rsvp.waitlist_position = None
        rsvp.event = event
        rsvp.save(update_fields=["status", "waitlist_position", "updated_at"])
        notifications.on_rsvp_promoted(rsvp=rsvp)
        record(
            PROMOTION,
            "rsvp.promoted",
            rsvp,
            group_id=event.group_id,
            data={"user": rsvp.user_id, "seats": rsvp.seats},
        )
        bus.publish("rsvp.updated", rsvp=rsvp)

    return promote_in_arrival_order(
        holder=event,
        waiting=waiting.order_by("waitlist_position", "pk"),
        seats_of=lambda rsvp: rsvp.seats,
        promote=promote,
    )


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


def rsvp_create(*, event: Event, user, guests: int = 0, actor=None) -> Rsvp:
    """RSVP going: a seat when 1 + guests fit, else the waitlist. Also changes the guests of an
    existing RSVP and turns "not going" back into going. The attendee acts (`actor` defaults to
    `user`, and the system may answer for someone); nobody else RSVPs for a person."""
    actor = _attendee_acting(actor, user)
    with transaction.atomic():
        was = _status_before(event, user) if actor.is_system else None
        rsvp = _going(event, user, guests)
        _record_for_someone_else(actor, rsvp, was)
        return rsvp


def _going(
    event: Event, user, guests: int, *, unanswered_only: bool = False, confirm: bool = True
) -> Rsvp | None:
    """rsvp_create's work, inside its transaction. With `unanswered_only` (a standing RSVP
    placing a date), nothing happens and None is returned when the person already answered
    the date: decided under the event's lock, so a manual RSVP racing it is never doubled or
    changed. Without `confirm` (a standing RSVP: one notice says it all) a seat sends no
    confirmation of its own; its reminders are written as for anyone."""
    event = lock_event(event.pk)
    rsvp = Rsvp.objects.filter(event=event, user=user).first()
    if unanswered_only and rsvp is not None:
        return None
    if not is_active_member(user, event.group):
        raise ServiceError(_("Join the group to RSVP."))
    now = timezone.now()
    _require_open_for_rsvp(event, now)
    _require_guests_allowed(event, guests)
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
        if confirm:
            notifications.on_rsvp_confirmed(rsvp=rsvp)
        else:
            notifications.on_standing_rsvp_booked(rsvp=rsvp)
        notifications.on_rsvp_few_seats(rsvp=rsvp, change="going")
    else:
        rsvp.status = Rsvp.Status.WAITLISTED
        rsvp.waitlisted_at = now
        rsvp.waitlist_position = _next_waitlist_position(event)
        rsvp.save()
        notifications.on_rsvp_waitlisted(rsvp=rsvp)
    bus.publish("rsvp.created", rsvp=rsvp)
    return rsvp


def rsvp_create_joining(
    *, event: Event, user, guests: int = 0, conduct_accepted: bool = False, actor=None
) -> Rsvp:
    """ "I'm going" from someone not yet in the event's group: when the group is open, join it
    (accepting its code of conduct, when it has one) and RSVP as rsvp_create does, in one
    transaction: a refused RSVP leaves no membership behind. A member simply RSVPs; a group that
    approves its members is asked to join first."""
    actor = _attendee_acting(actor, user)
    if not actor.is_person:
        raise NotAllowed(_("People join groups for themselves."))
    with transaction.atomic():
        group = Group.objects.get(pk=event.group_id)
        if not is_active_member(user, group):
            if group.join_policy != Group.JoinPolicy.OPEN:
                raise ServiceError(
                    _("This group's organizers approve each member: ask to join the group first.")
                )
            if group.code_of_conduct.strip() and not conduct_accepted:
                raise ServiceError(
                    {"conduct_accepted": _("Accept the group's code of conduct to join it.")}
                )
            # Nobody joins a group for an RSVP that cannot be made (checked again under the lock).
            _require_open_for_rsvp(event, timezone.now())
            membership = membership_join(group=group, actor=user)
            if membership.status != Membership.Status.ACTIVE:
                raise ServiceError(_("Join the group to RSVP."))
        return rsvp_create(event=event, user=user, guests=guests, actor=actor)


def _leave(event: Event, rsvp: Rsvp) -> Rsvp:
    """Going or waitlisted -> not going; the seats go to the waitlist."""
    was_going = rsvp.status == Rsvp.Status.GOING
    rsvp.status = Rsvp.Status.NOT_GOING
    rsvp.waitlist_position = None
    rsvp.event = event
    rsvp.save(update_fields=["status", "waitlist_position", "updated_at"])
    if was_going:
        # Told while the seats still count: a seat given back when few were left.
        notifications.on_rsvp_few_seats(rsvp=rsvp, change="cancelled")
        seats_release(model=Event, pk=event.pk, seats=rsvp.seats)
    notifications.on_rsvp_cancelled(rsvp=rsvp)
    bus.publish("rsvp.cancelled", rsvp=rsvp)
    if was_going:
        promote_waitlist(event)
    return rsvp


def rsvp_decline(*, event: Event, user, actor=None) -> Rsvp:
    """The user is not going: a going or waitlisted RSVP gives up its place; without one, a
    "not going" answer is recorded. The attendee acts (`actor` defaults to `user`; the system
    may answer for someone)."""
    actor = _attendee_acting(actor, user)
    with transaction.atomic():
        was = _status_before(event, user) if actor.is_system else None
        rsvp = _not_going(event, user)
        _record_for_someone_else(actor, rsvp, was)
        return rsvp


def _not_going(event: Event, user) -> Rsvp:
    """rsvp_decline's work, inside its transaction."""
    event = lock_event(event.pk)
    now = timezone.now()
    _require_not_over(event, now)
    rsvp = Rsvp.objects.filter(event=event, user=user).first()
    if rsvp is None:
        if not is_active_member(user, event.group):
            raise ServiceError(_("Join the group to RSVP."))
        if event.is_cancelled:
            raise ServiceError(availability_message(event, RsvpAvailability.CANCELLED))
        return Rsvp.objects.create(event=event, user=user, status=Rsvp.Status.NOT_GOING)
    if rsvp.status == Rsvp.Status.NOT_GOING:
        return rsvp
    return _leave(event, rsvp)


def rsvp_cancel(*, rsvp: Rsvp, actor) -> Rsvp:
    """Cancel an RSVP: its owner may, and so may the group's organizers and hosts and the
    system (a ban, a closing group). Freed seats go to the waitlist in arrival order. A change
    by anyone but the attendee is written to the activity log."""
    actor = as_actor(actor)
    with transaction.atomic():
        event = lock_event(rsvp.event_id)
        rsvp = Rsvp.objects.select_related("user").get(pk=rsvp.pk)
        if actor is None:
            raise NotAllowed
        someone_else = _by_someone_else(actor, rsvp)
        if someone_else and not may_manage(actor, event.group):
            raise NotAllowed(_("Only the group's organizers and hosts may do this."))
        _require_not_over(event, timezone.now())
        if rsvp.status == Rsvp.Status.NOT_GOING:
            return rsvp
        was = rsvp.status
        rsvp = _leave(event, rsvp)
        _record_for_someone_else(actor, rsvp, was)
        return rsvp


def rsvp_admit(*, rsvp: Rsvp, actor) -> Rsvp:
    """An organizer or host moves someone off the waitlist out of turn: the capacity is raised
    by the seats their party needs when none are free (both written to the activity log), and
    they are told as when a seat opens up."""
    actor = as_actor(actor)
    with transaction.atomic():
        event = lock_event(rsvp.event_id)
        if not may_manage(actor, event.group):
            raise NotAllowed(_("Only the group's organizers and hosts may do this."))
        rsvp = Rsvp.objects.select_related("user").get(pk=rsvp.pk)
        if rsvp.status != Rsvp.Status.WAITLISTED:
            raise ServiceError(_("This person is not on the waitlist."))
        _require_not_over(event, timezone.now())
        if event.is_cancelled:
            raise ServiceError(availability_message(event, RsvpAvailability.CANCELLED))
        old_capacity = event.capacity
        if event.capacity is not None and (event.seats_left or 0) < rsvp.seats:
            event.capacity = event.seats_taken + rsvp.seats
            event.save(update_fields=["capacity", "updated_at"])
        if not seats_take(model=Event, pk=event.pk, seats=rsvp.seats):
            raise ServiceError(_("There are not enough seats left."))
        event.refresh_from_db(fields=["capacity", "seats_taken"])
        rsvp.status = Rsvp.Status.GOING
        rsvp.waitlist_position = None
        rsvp.event = event
        rsvp.save(update_fields=["status", "waitlist_position", "updated_at"])
        data = {"event": event.pk, "attendee": rsvp.user_id, "status": ["waitlisted", "going"]}
        if event.capacity != old_capacity:
            data["capacity"] = [old_capacity, event.capacity]
        record(actor, "rsvp.changed_by_organizer", rsvp, group_id=event.group_id, data=data)
        notifications.on_rsvp_promoted(rsvp=rsvp, actor=actor)
        bus.publish("rsvp.updated", rsvp=rsvp)
        if event.capacity != old_capacity:
            bus.publish("event.updated", event=event, changed_fields={"capacity"})
        return rsvp
