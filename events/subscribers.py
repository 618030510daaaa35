"""How the events app reacts to what other apps announce (see core.bus)."""

from django.utils.translation import gettext as _

from core import when
from core.actors import Actor, as_actor
from core.bus import subscribe
from events.models import Event, Rsvp, SeriesRsvp, ended_q
from events.services import event_cancel, rsvp_cancel, series_rsvps_end
from events.services._common import hide_slugs, is_hidden
from groups import leaving
from groups.models import Group

GROUP_CLOSED = "group closed"
MEMBERSHIP_ENDED = "membership ended"


def _coming_rsvps(membership):
    """The person's seats and waitlist places at the group's coming events."""
    return Rsvp.objects.filter(
        user_id=membership.user_id,
        event__group_id=membership.group_id,
        event__status=Event.Status.SCHEDULED,
        status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
    ).exclude(ended_q(prefix="event__"))


def rsvps_given_up(*, membership) -> list[str]:
    """For the "leave group" page (groups.leaving): the coming events whose seat or waitlist
    place leaving gives up, soonest first. One query."""
    rsvps = (
        _coming_rsvps(membership)
        .select_related("event")
        .only("status", "event__title", "event__starts_at", "event__timezone")
        .order_by("event__starts_at", "pk")[: leaving.LIMIT]
    )
    return [
        (
            _("Your place on the waiting list for %(event)s, %(when)s")
            if rsvp.status == Rsvp.Status.WAITLISTED
            else _("Your place at %(event)s, %(when)s")
        )
        % {
            "event": rsvp.event.title,
            "when": when.moment(rsvp.event.starts_at, rsvp.event.timezone),
        }
        for rsvp in rsvps
    ]


def cancel_rsvps_when_membership_ends(*, topic: str, membership, actor=None, **payload) -> None:
    """Someone who leaves (or is removed from, or banned by) a group gives up their seats and
    waitlist places at its coming events, so the seats go to others, and their standing RSVPs
    to its series end. Whoever ended the
    membership acts: the person leaving, an organizer, or (when the announcement names nobody)
    the system."""
    actor = as_actor(actor) or Actor.system(MEMBERSHIP_ENDED)
    # Their standing RSVPs to the group's series end first, so no date is booked again.
    series_rsvps_end(
        user=membership.user,
        group_id=membership.group_id,
        reason=SeriesRsvp.EndReason.LEFT_GROUP,
    )
    for rsvp in _coming_rsvps(membership).select_related("user"):
        # The membership is already gone: an organizer who banned the person still manages
        # the group, and the system passes, so the cancellation is theirs to make.
        rsvp_cancel(rsvp=rsvp, actor=actor)


def cancel_events_when_group_closes(*, topic: str, group: Group, actor=None, **payload) -> None:
    """A group that closes cancels its coming events through event_cancel, before its rows go,
    so the people going or waiting are told. The system acts ("group closed") unless the
    announcement names the actor."""
    actor = as_actor(actor) or Actor.system(GROUP_CLOSED)
    message = _("%(group)s has closed, so this event will not take place.") % {"group": group.name}
    coming = Event.objects.filter(group=group).scheduled().upcoming().order_by("starts_at", "pk")
    for event in coming:
        event_cancel(event=event, actor=actor, message=message)


def hide_slugs_when_group_hides(*, topic: str, group=None, changed_fields=(), **payload) -> None:
    """A group that became private or unlisted: its events' web addresses get an unguessable
    suffix, so they no longer sit in the public address space."""
    if group is None or "visibility" not in set(changed_fields or ()):
        return
    group = Group.objects.filter(pk=group.pk).first()
    if group is not None and is_hidden(group):
        hide_slugs(group)


subscribe("membership.ended", cancel_rsvps_when_membership_ends)
leaving.register("events", order=10, given_up=rsvps_given_up)
subscribe("group.deleting", cancel_events_when_group_closes)
subscribe("group.updated", hide_slugs_when_group_hides)
