"""Standing RSVPs: a member going to every date of a series.

Each coming date gets an ordinary RSVP through the RSVP service (seats, waitlist, notices as
for anyone), standing RSVPs taken in the order they were made. A date the person answered on
its own (going, waiting, or "I can't go") is left as it is, so a released date is never booked
again; that check is made under the event's lock, so a horizon run racing a manual RSVP never
doubles or changes it. Lock order: series, then group, then event (as materializing does).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import Actor, as_actor
from core.exceptions import NotAllowed, ServiceError
from events import notifications
from events.models import Event, EventSeries, Rsvp, SeriesRsvp
from events.permissions import can_keep_standing_rsvp
from events.services._common import clean, lock_event, record
from events.services.rsvps import ACTIVE, _going, rsvp_cancel
from groups.models import Group

STANDING = Actor.system("standing RSVP")


def _lock_series(series: EventSeries) -> EventSeries:
    return EventSeries.objects.select_for_update().select_related("group").get(pk=series.pk)


def _coming_dates(series: EventSeries, now: dt.datetime):
    """The dates a standing RSVP books: not started, not cancelled, soonest first."""
    return (
        Event.objects.filter(series=series).not_started(now).scheduled().order_by("starts_at", "pk")
    )


def _place(standing: SeriesRsvp, event: Event, actor) -> Rsvp | None:
    """One date for one standing RSVP: an RSVP unless the person answered it already. A date
    that does not take RSVPs now (not open yet, closed) is left for a later run."""
    try:
        with transaction.atomic():
            lock_event(event.pk)
            if not SeriesRsvp.objects.active().filter(pk=standing.pk).exists():
                return None  # stopped meanwhile
            rsvp = _going(event, standing.user, 0, unanswered_only=True, confirm=False)
            if rsvp is not None:
                record(
                    actor,
                    "rsvp.standing",
                    rsvp,
                    group_id=event.group_id,
                    data={
                        "event": event.pk,
                        "attendee": rsvp.user_id,
                        "series_rsvp": standing.pk,
                        "status": rsvp.status,
                    },
                )
            return rsvp
    except ServiceError:
        return None


def series_rsvp_start(*, series: EventSeries, user, actor=None) -> SeriesRsvp:
    """Go to every date of the series (the member themselves; the system may for the demo).
    Every coming date the member has not answered gets an RSVP at once (a seat or the
    waitlist); dates made later get theirs when they are made. Starting twice returns the
    standing RSVP already kept."""
    actor = as_actor(actor) if actor is not None else as_actor(user)
    if actor is None or not (actor.is_system or (actor.is_person and actor.user_id == user.pk)):
        raise NotAllowed(_("People RSVP for themselves."))
    with transaction.atomic():
        series = _lock_series(series)
        list(Group.objects.select_for_update().filter(pk=series.group_id).values_list("pk"))
        if not can_keep_standing_rsvp(user, series):
            if not series.is_running:
                raise ServiceError(_("This event no longer repeats."))
            raise ServiceError(_("Join the group to RSVP."))
        standing = SeriesRsvp.objects.active().filter(series=series, user=user).first()
        if standing is not None:
            return standing
        standing = SeriesRsvp(series=series, user=user)
        clean(standing)
        standing.save()
        record(
            actor,
            "series_rsvp.started",
            standing,
            group_id=series.group_id,
            data={"series": series.pk, "attendee": user.pk},
        )
        placed = [
            rsvp
            for event in _coming_dates(series, timezone.now())
            if (rsvp := _place(standing, event, actor)) is not None
        ]
        notifications.on_series_rsvp_started(standing=standing, rsvps=placed)
        return standing


def series_rsvp_stop(
    *, series_rsvp: SeriesRsvp, actor, reason: str = SeriesRsvp.EndReason.STOPPED
) -> SeriesRsvp:
    """End a standing RSVP: no more dates are booked. When the person stops it, their places
    on the coming dates (going or waiting) are given up through rsvp_cancel, so the seats go
    to the waitlist; past dates stay as they were. The system ends it when the person leaves
    the group (their RSVPs are cancelled by that), the series stops or the account goes."""
    actor = as_actor(actor)
    standing = SeriesRsvp.objects.select_related("series", "user").get(pk=series_rsvp.pk)
    if actor is None or not (
        actor.is_system or (actor.is_person and actor.user_id == standing.user_id)
    ):
        raise NotAllowed(_("Only the member can stop their standing RSVP."))
    with transaction.atomic():
        # The group's lock, as an RSVP takes it: a standing RSVP placing a date waits for
        # this, then sees the standing RSVP ended (and this sees the date it placed).
        list(
            Group.objects.select_for_update().filter(pk=standing.series.group_id).values_list("pk")
        )
        now = timezone.now()
        ended = SeriesRsvp.objects.filter(pk=standing.pk, ended_at__isnull=True).update(
            ended_at=now, end_reason=reason, updated_at=now
        )
        standing.refresh_from_db(fields=["ended_at", "end_reason", "updated_at"])
        if not ended:
            return standing
        record(
            actor,
            "series_rsvp.stopped",
            standing,
            group_id=standing.series.group_id,
            data={"series": standing.series_id, "attendee": standing.user_id, "reason": reason},
        )
        if reason == SeriesRsvp.EndReason.STOPPED:
            for rsvp in list(coming_rsvps(standing, now=now)):
                rsvp_cancel(rsvp=rsvp, actor=actor)
        return standing


def coming_rsvps(standing: SeriesRsvp, *, now: dt.datetime | None = None):
    """The person's places (going or waiting) on the series' coming dates: what stopping the
    standing RSVP gives up."""
    return (
        Rsvp.objects.filter(
            user_id=standing.user_id,
            status__in=ACTIVE,
            event__in=_coming_dates(standing.series, now or timezone.now()),
        )
        .select_related("event", "user")
        .order_by("event__starts_at", "event_id")
    )


def series_rsvps_apply(*, series: EventSeries, now: dt.datetime | None = None) -> int:
    """Book the coming dates of the series for its standing RSVPs, in the order they were
    made, skipping dates each person already answered (called after dates are materialized;
    safe to run any number of times). Returns how many RSVPs were made."""
    now = now or timezone.now()
    with transaction.atomic():
        series = _lock_series(series)
        standing = list(SeriesRsvp.objects.active().filter(series=series).select_related("user"))
        if not standing or not series.is_running:
            return 0
        dates = list(_coming_dates(series, now))
        answered = set(
            Rsvp.objects.filter(
                event__in=[e.pk for e in dates], user__in=[s.user_id for s in standing]
            ).values_list("event_id", "user_id")
        )
        made = 0
        for event in dates:
            for each in standing:
                if (event.pk, each.user_id) in answered:
                    continue
                if _place(each, event, STANDING) is not None:
                    made += 1
        return made


def series_rsvps_end(
    *, series: EventSeries | None = None, user=None, group_id=None, reason: str
) -> int:
    """End the standing RSVPs of a series, of a person, or of a person in a group, as the
    system (the series stopped, the person left the group or deleted their account). Their
    RSVPs are dealt with by whoever ended it. Returns how many ended."""
    rows = SeriesRsvp.objects.active()
    if series is not None:
        rows = rows.filter(series=series)
    if user is not None:
        rows = rows.filter(user=user)
    if group_id is not None:
        rows = rows.filter(series__group_id=group_id)
    ended = 0
    for standing in rows.select_related("series", "user").order_by("pk"):
        series_rsvp_stop(series_rsvp=standing, actor=Actor.system(reason), reason=reason)
        ended += 1
    return ended
