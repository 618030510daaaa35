"""How the events app reacts to what other apps announce (see core.events)."""

from django.utils import timezone

from core.events import subscribe
from events.models import Event, Rsvp
from events.services import rsvp_cancel


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


subscribe("membership.ended", cancel_rsvps_when_membership_ends)
