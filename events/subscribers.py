"""How the events app reacts to what other apps announce (see core.bus)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.bus import subscribe
from events.models import Event, Rsvp
from events.services import event_cancel, rsvp_cancel
from groups.models import Group, Membership


def cancel_rsvps_when_membership_ends(*, topic: str, membership, **payload) -> None:
    """Someone who leaves (or is removed from) a group gives up their seats and waitlist places
    at its coming events, so the seats go to others."""
    rsvps = Rsvp.objects.filter(
        user_id=membership.user_id,
        event__group_id=membership.group_id,
        event__status=Event.Status.SCHEDULED,
        event__ends_at__gt=timezone.now(),
        status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
    ).select_related("user")
    for rsvp in rsvps:
        rsvp_cancel(rsvp=rsvp, actor=rsvp.user)


def _an_organizer(group: Group):
    membership = (
        Membership.objects.filter(
            group=group, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership is not None else None


def cancel_events_when_group_closes(*, topic: str, group: Group, actor=None, **payload) -> None:
    """A group that closes cancels its coming events through event_cancel, before its rows go,
    so the people going or waiting are told. The organizer closing it acts (or, when the
    announcement names nobody, one of the group's organizers)."""
    actor = actor if actor is not None else _an_organizer(group)
    message = _("%(group)s has closed, so this event will not take place.") % {"group": group.name}
    coming = Event.objects.filter(
        group=group, status=Event.Status.SCHEDULED, ends_at__gt=timezone.now()
    ).order_by("starts_at", "pk")
    for event in coming:
        event_cancel(event=event, actor=actor, message=message)


subscribe("membership.ended", cancel_rsvps_when_membership_ends)
subscribe("group.deleting", cancel_events_when_group_closes)
