"""Who may do what to which event: one yes/no predicate per question.

Like groups.permissions, the predicates take an optional `membership` keyword (the user's
membership of the event's group, None when there is none) so a page that has it asks for free.
"""

from collections.abc import Iterable

from events.models import Event, EventSeries, Rsvp
from groups.models import Membership
from groups.permissions import UNKNOWN, can_manage_events, is_active_member


def can_manage_event(user, event: Event, *, membership=UNKNOWN) -> bool:
    """Organizers and hosts of the event's group may edit and cancel it and see who comes."""
    return can_manage_events(user, event.group, membership=membership)


def can_keep_standing_rsvp(user, series: EventSeries, *, membership=UNKNOWN) -> bool:
    """A standing RSVP (going to every date of a series) is for the active members of the
    series' group, while the series repeats."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return series.is_running and is_active_member(user, series.group, membership=membership)


def can_see_event_location(user, event: Event, *, membership=UNKNOWN, rsvp=UNKNOWN) -> bool:
    """The address and online link are for people going, and the group's organizers and hosts.
    `rsvp`, when given, is the user's RSVP to the event (None when there is none)."""
    if user is None or not user.is_authenticated:
        return False
    if rsvp is UNKNOWN:
        going = Rsvp.objects.filter(event=event, user=user, status=Rsvp.Status.GOING).exists()
    else:
        going = rsvp is not None and rsvp.status == Rsvp.Status.GOING
    return going or can_manage_event(user, event, membership=membership)


def events_with_visible_location(user, events: Iterable[Event]) -> set[int]:
    """Ids of those `events` whose location the user may see: `can_see_event_location` for a
    whole feed in two queries."""
    events = list(events)
    if not events or user is None or not user.is_authenticated:
        return set()
    rsvps = {
        rsvp.event_id: rsvp
        for rsvp in Rsvp.objects.filter(event__in=[e.pk for e in events], user=user)
    }
    memberships = {
        m.group_id: m
        for m in Membership.objects.filter(group__in={e.group_id for e in events}, user=user)
    }
    return {
        event.pk
        for event in events
        if can_see_event_location(
            user,
            event,
            membership=memberships.get(event.group_id),
            rsvp=rsvps.get(event.pk),
        )
    }
