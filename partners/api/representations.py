"""The API's output shape, built as plain dicts (no ModelSerializer on the read path: it is the
busiest path and a dict per row is several times cheaper). Times are ISO 8601 in the item's
own zone, with its offset, and the IANA zone named beside them."""

import functools

from django.urls import reverse

from core import when
from events.models import Event, EventSeries, Rsvp
from groups.models import Group
from volunteering.hours.statement import hours_text
from volunteering.models import HoursEntry, Shift, ShiftSignup, split_skills


def _time(value, zone: str) -> str | None:
    return when.local(value, zone).isoformat() if value is not None else None


def group_data(group: Group, *, own: bool) -> dict:
    return {
        "id": group.pk,
        "slug": group.slug,
        "name": group.name,
        "description": group.description,
        "category": group.category,
        "city": group.city,
        "visibility": group.visibility,
        "join_policy": group.join_policy,
        "url": reverse("groups:detail", kwargs={"slug": group.slug}),
        "own": own,
        "updated_at": group.updated_at.isoformat(),
    }


@functools.cache
def _event_path_prefix() -> str:
    marker = "0"
    return reverse("events:detail", kwargs={"slug": marker})[: -len(marker) - 1]


def event_data(row: dict, *, own: bool) -> dict:
    """One event from its row (partners.selectors.event_rows). The address, online link and map
    position are the partner's only for its own organization's events (on the website they are
    for people going)."""
    zone = row["timezone"]
    return {
        "id": row["id"],
        "slug": row["slug"],
        "url": f"{_event_path_prefix()}{row['slug']}/",
        "title": row["title"],
        "description": row["description"],
        "category": row["category"],
        "tags": row["tags"],
        "group": {"id": row["group_id"], "slug": row["group__slug"], "name": row["group__name"]},
        "series": (
            {
                "id": row["series_id"],
                "rrule": row["series__rrule"],
                "timezone": row["series__timezone"],
            }
            if row["series_id"] is not None
            else None
        ),
        "status": row["status"],
        "timezone": zone,
        "starts_at": _time(row["starts_at"], zone),
        "ends_at": _time(row["ends_at"], zone),
        "rsvp_opens_at": _time(row["rsvp_opens_at"], zone),
        "rsvp_closes_at": _time(row["rsvp_closes_at"], zone),
        "venue_name": row["venue_name"],
        "city": row["city"] or row["group__city"],
        "address": row["address"] if own else None,
        "online_url": row["online_url"] if own else None,
        "latitude": row["latitude"] if own else None,
        "longitude": row["longitude"] if own else None,
        "is_online": bool(row["online_url"]) and not row["address"],
        "capacity": row["capacity"],
        "guests_allowed": row["guests_allowed"],
        "going_count": row["going_count"],
        "waitlist_count": row["waitlist_count"],
        "seats_taken": row["seats_taken"],
        "cost_note": row["cost_note"],
        "newcomers_welcome": row["newcomers_welcome"],
        "step_free_access": row["step_free_access"],
        "quiet_room": row["quiet_room"],
        "sign_language": row["sign_language"],
        "accessibility_notes": row["accessibility_notes"],
        "cancellation_message": (
            row["cancellation_message"] if row["status"] == Event.Status.CANCELLED else ""
        ),
        "own": own,
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def rsvp_data(rsvp: Rsvp) -> dict:
    return {
        "id": rsvp.pk,
        "status": rsvp.status,
        "guests": rsvp.guests,
        "name": rsvp.user.public_name,
        "waitlist_position": rsvp.waitlist_position,
        "checked_in": rsvp.checked_in_at is not None,
        "created_at": rsvp.created_at.isoformat(),
    }


def tombstone_data(tombstone) -> dict:
    return {
        "id": tombstone.object_id,
        "reason": tombstone.reason,
        "gone_at": tombstone.gone_at.isoformat(),
    }


@functools.cache
def _project_path_prefix() -> str:
    marker = "0"
    return reverse("volunteering:project", kwargs={"slug": marker})[: -len(marker) - 1]


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def project_data(row: dict, *, own: bool) -> dict:
    """One volunteer project from its row (partners.selectors.project_rows). The address and
    map position are the partner's only for its own organization's projects."""
    return {
        "id": row["id"],
        "slug": row["slug"],
        "url": f"{_project_path_prefix()}{row['slug']}/",
        "title": row["title"],
        "description": row["description"],
        "cause": row["cause"],
        "skills": split_skills(row["skills"]),
        "group": {"id": row["group_id"], "slug": row["group__slug"], "name": row["group__name"]},
        "status": row["status"],
        "remote": row["remote"],
        "timezone": row["timezone"],
        "starts_on": _date(row["starts_on"]),
        "ends_on": _date(row["ends_on"]),
        "venue_name": row["venue_name"],
        "city": row["city"] or row["group__city"],
        "address": row["address"] if own else None,
        "latitude": row["latitude"] if own else None,
        "longitude": row["longitude"] if own else None,
        "minimum_age": row["minimum_age"],
        "has_waiver": row["waiver_version"] > 0,
        "roles": [
            {
                "id": role["id"],
                "name": role["name"],
                "description": role["description"],
                "skills": split_skills(role["skills"]),
            }
            for role in row["roles"]
        ],
        "own": own,
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def shift_data(row: dict, *, own: bool) -> dict:
    """One shift from its row (partners.selectors.shift_rows). A shift without a place of its
    own is at its project's; the address and map position are for the partner's own shifts."""
    zone = row["timezone"]
    has_place = bool(row["venue_name"] or row["address"])  # Place.has_place
    prefix = "" if has_place else "role__project__"
    return {
        "id": row["id"],
        "url": f"{_project_path_prefix()}{row['role__project__slug']}/shifts/{row['id']}/",
        "project": {
            "id": row["role__project_id"],
            "slug": row["role__project__slug"],
            "title": row["role__project__title"],
        },
        "group": {
            "id": row["role__project__group_id"],
            "slug": row["role__project__group__slug"],
            "name": row["role__project__group__name"],
        },
        "role": {"id": row["role_id"], "name": row["role__name"]},
        "series": (
            {"id": row["series_id"], "rrule": row["series__rrule"]}
            if row["series_id"] is not None
            else None
        ),
        "status": row["status"],
        "timezone": zone,
        "starts_at": _time(row["starts_at"], zone),
        "ends_at": _time(row["ends_at"], zone),
        "venue_name": row[f"{prefix}venue_name"],
        "city": row[f"{prefix}city"] or row["role__project__group__city"],
        "address": row[f"{prefix}address"] if own else None,
        "latitude": row[f"{prefix}latitude"] if own else None,
        "longitude": row[f"{prefix}longitude"] if own else None,
        "capacity": row["capacity"],
        "seats_taken": row["seats_taken"],
        "signed_up_count": row["signed_up_count"],
        "waitlist_count": row["waitlist_count"],
        "step_free_access": row["step_free_access"],
        "quiet_room": row["quiet_room"],
        "sign_language": row["sign_language"],
        "accessibility_notes": row["accessibility_notes"],
        "notes": row["notes"],
        "cancellation_message": (
            row["cancellation_message"] if row["status"] == Shift.Status.CANCELLED else ""
        ),
        "own": own,
        "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(),
    }


def signup_data(signup: ShiftSignup) -> dict:
    """A volunteer on one of the partner's own shifts: the name they show to others, and how
    many places they take (team members' names stay on the site)."""
    return {
        "id": signup.pk,
        "status": signup.status,
        "name": signup.user.public_name,
        "places": signup.seats,
        "waitlist_position": signup.waitlist_position,
        "created_at": signup.created_at.isoformat(),
    }


def hours_data(entry: HoursEntry) -> dict:
    """One verified entry of the partner's hours ledger (a reversal has negative minutes)."""
    return {
        "id": entry.pk,
        "project": {"id": entry.project_id, "title": entry.project.title},
        "shift": entry.shift_id,
        "volunteer": {"id": entry.volunteer_id, "name": entry.volunteer.public_name},
        "worked_on": entry.worked_on.isoformat(),
        "minutes": entry.minutes,
        "hours": hours_text(entry.minutes),
        "source": entry.source,
        "reverses": entry.reverses_id,
        "corrects": entry.corrects_id,
        "verified_at": entry.reviewed_at.isoformat(),
    }


def series_data(series: EventSeries) -> dict:
    """One of the partner's own recurring events (its dates are events with its `series`)."""
    zone = series.timezone
    return {
        "id": series.pk,
        "group": {"id": series.group_id, "slug": series.group.slug, "name": series.group.name},
        "rrule": series.rrule,
        "first_starts_at": _time(series.first_starts_at, zone),
        "duration_minutes": int(series.duration.total_seconds() // 60),
        "horizon_days": series.horizon_days,
        "timezone": zone,
        "title": series.title,
        "description": series.description,
        "category": series.category,
        "tags": sorted(tag.name for tag in series.tags.all()),
        "venue_name": series.venue_name,
        "city": series.city or series.group.city,
        "address": series.address,
        "online_url": series.online_url,
        "latitude": series.latitude,
        "longitude": series.longitude,
        "capacity": series.capacity,
        "guests_allowed": series.guests_allowed,
        "cost_note": series.cost_note,
        "newcomers_welcome": series.newcomers_welcome,
        "step_free_access": series.step_free_access,
        "quiet_room": series.quiet_room,
        "sign_language": series.sign_language,
        "accessibility_notes": series.accessibility_notes,
        "is_running": series.is_running,
        "ended_at": _time(series.ended_at, zone),
        "created_at": series.created_at.isoformat(),
        "updated_at": series.updated_at.isoformat(),
    }


def registration_data(registration) -> dict:
    return {
        "id": registration.pk,
        "email": registration.email,
        "event": registration.event_id,
        "shift": registration.shift_id,
        "status": registration.status,
        "outcome": registration.outcome or None,
        "created_at": registration.created_at.isoformat(),
        "decided_at": registration.decided_at.isoformat() if registration.decided_at else None,
    }
