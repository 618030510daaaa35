"""What the events app holds about a person: exported on request, anonymized on deletion.

On deletion, going and waitlisted RSVPs to events that have not started are cancelled through
the RSVP service, so freed seats go to the waitlist. Past RSVPs stay: attendance figures stay
true, and the anonymized account shows as "Former member".
"""

from accounts.personal_data import register
from events.models import Event, Rsvp, SeriesRsvp


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    """The person's RSVPs (event, start, status, guests, check-in), standing RSVPs to series and
    the events they created."""
    rsvps = Rsvp.objects.filter(user=user).select_related("event").order_by("event__starts_at")
    created = Event.objects.filter(created_by=user).order_by("starts_at")
    standing = SeriesRsvp.objects.filter(user=user).select_related("series")
    return {
        "rsvps": [
            {
                "event": rsvp.event.title,
                "starts_at": _iso(rsvp.event.starts_at),
                "timezone": rsvp.event.timezone,
                "status": rsvp.status,
                "guests": rsvp.guests,
                "checked_in_at": _iso(rsvp.checked_in_at),
                "created_at": _iso(rsvp.created_at),
            }
            for rsvp in rsvps
        ],
        "standing_rsvps": [
            {
                "series": row.series.title,
                "started_at": _iso(row.created_at),
                "ended_at": _iso(row.ended_at),
                "end_reason": row.end_reason,
            }
            for row in standing.order_by("created_at", "pk")
        ],
        "events_created": [
            {"title": event.title, "starts_at": _iso(event.starts_at), "status": event.status}
            for event in created
        ],
    }


def erase(user) -> None:
    """End the person's standing RSVPs, cancel their RSVPs to events that have not started yet;
    keep past ones (the standing RSVPs' rows stay, ended, like past RSVPs)."""
    # Imported here so that registering at start-up does not load the service layer.
    from events.services import rsvp_cancel, series_rsvps_end

    series_rsvps_end(user=user, reason=SeriesRsvp.EndReason.ACCOUNT_DELETED)

    upcoming = (
        Rsvp.objects.filter(
            user=user,
            status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITLISTED],
            event__status=Event.Status.SCHEDULED,
        )
        .filter(event__in=Event.objects.not_started())
        .select_related("event")
        .order_by("event__starts_at")
    )
    for rsvp in upcoming:
        rsvp_cancel(rsvp=rsvp, actor=user)


register("events", export=export, erase=erase)
