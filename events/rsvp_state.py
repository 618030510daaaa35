"""The RSVP state of an event for one viewer, worked out once: the event page's view and
template read it, and the RSVP services refuse with the same predicates and messages
(`Event.rsvp_availability`, `availability_message`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core import when
from events.models import Event, Rsvp, RsvpAvailability


def availability_message(event: Event, availability: str) -> str:
    """Why RSVPs cannot be made now, in the words the page and the services both use."""
    if availability == RsvpAvailability.NOT_OPEN_YET:
        return _("RSVPs open on %(when)s.") % {
            "when": when.moment(event.rsvp_opens_at, event.timezone)
        }
    return str(RsvpAvailability(availability).label)


@dataclass(frozen=True)
class RsvpState:
    """Where a viewer stands with an event's RSVPs."""

    event: Event
    rsvp: Rsvp | None
    availability: str  # RsvpAvailability
    signed_in: bool
    is_member: bool
    # The viewer's membership status in the event's group when not active ("pending",
    # "banned"), or None.
    membership_status: str | None = None

    @property
    def status(self) -> str | None:
        """The viewer's answer: going, waitlisted, not_going, or None."""
        return self.rsvp.status if self.rsvp is not None else None

    @property
    def going(self) -> bool:
        return self.status == Rsvp.Status.GOING

    @property
    def waitlisted(self) -> bool:
        return self.status == Rsvp.Status.WAITLISTED

    @property
    def not_going(self) -> bool:
        return self.status == Rsvp.Status.NOT_GOING

    @property
    def place_in_line(self) -> int | None:
        return getattr(self.rsvp, "place_in_line", None) if self.waitlisted else None

    @property
    def is_open(self) -> bool:
        return self.availability == RsvpAvailability.OPEN

    @property
    def is_over(self) -> bool:
        """Cancelled or ended: nothing more to answer."""
        return self.availability in (RsvpAvailability.CANCELLED, RsvpAvailability.ENDED)

    @property
    def is_full(self) -> bool:
        return self.event.is_full

    @property
    def message(self) -> str:
        """Why RSVPs cannot be made now ("" while they are open)."""
        return "" if self.is_open else availability_message(self.event, self.availability)

    @property
    def may_answer(self) -> bool:
        """Going / change guests / join the waitlist is offered."""
        return self.is_member and self.is_open

    @property
    def may_go(self) -> bool:
        """ "I'm going" (or "Join the waitlist") is offered: a member who is not yet coming."""
        return self.may_answer and not (self.going or self.waitlisted)

    @property
    def may_change_guests(self) -> bool:
        """Changing the guests is offered: only on an event that takes guests."""
        return self.may_answer and (self.going or self.waitlisted) and self.event.guests_allowed > 0

    @property
    def opens_to_joining(self) -> bool:
        """The group lets anyone in at once (no approval)."""
        return self.event.group.join_policy == "open"

    @property
    def asked_to_join(self) -> bool:
        return self.membership_status == "pending"

    @property
    def may_join_and_go(self) -> bool:
        """ "I'm going" that joins the open group in the same step, for a signed-in outsider."""
        return (
            self.signed_in
            and not self.is_member
            and self.membership_status is None
            and self.opens_to_joining
            and self.is_open
        )

    @property
    def may_ask_to_join(self) -> bool:
        """ "Ask to join" (the group approves members) for a signed-in outsider."""
        return (
            self.signed_in
            and not self.is_member
            and self.membership_status is None
            and not self.opens_to_joining
            and not self.is_over
        )

    @property
    def conduct_to_accept(self) -> str:
        """The group's code of conduct, for someone who joins by going ("" when none)."""
        return self.event.group.code_of_conduct if self.may_join_and_go else ""

    @property
    def may_withdraw(self) -> bool:
        """ "I can't go after all" / "leave the waitlist" is offered."""
        return self.is_member and not self.is_over and (self.going or self.waitlisted)

    @property
    def may_decline(self) -> bool:
        """ "Not going" is offered to a member who has not answered."""
        return self.is_member and not self.is_over and self.rsvp is None


def rsvp_state(
    *,
    event: Event,
    rsvp: Rsvp | None,
    signed_in: bool,
    is_member: bool,
    now: dt.datetime | None,
    membership_status: str | None = None,
) -> RsvpState:
    return RsvpState(
        event=event,
        rsvp=rsvp,
        availability=event.rsvp_availability(now),
        signed_in=signed_in,
        is_member=is_member,
        membership_status=None if is_member else membership_status,
    )
