"""What care calendars hold about a person: exported on request, released on deletion.

The export names the calendars the person runs or is helped by, and the slots they took; a
recipient's address and private notes go in only where `can_see_care_private` lets the person
read them today (a released helper's export does not carry them).
"""

from accounts.personal_data import register
from volunteering.care.permissions import can_see_care_private
from volunteering.care_models import CareCalendar, CareCoordinator, CareSignup


def _iso(value):
    return value.isoformat() if value else None


def _calendar(calendar: CareCalendar, user) -> dict:
    data = {
        "title": calendar.title,
        "for": calendar.recipient_name,
        "group": calendar.group.name,
        "status": calendar.status,
        "created_at": _iso(calendar.created_at),
    }
    if can_see_care_private(user, calendar):
        data["address"] = calendar.address
        data["private_notes"] = calendar.private_notes
    return data


def export(user) -> dict:
    """Calendars coordinated or received, slots taken (with their status), updates written."""
    coordinated = CareCalendar.objects.filter(
        pk__in=CareCoordinator.objects.filter(user=user).values("calendar_id")
    ).select_related("group")
    received = CareCalendar.objects.filter(recipient=user).select_related("group")
    signups = (
        CareSignup.objects.filter(user=user)
        .select_related("slot__calendar__group")
        .order_by("slot__starts_at")
    )
    return {
        "calendars_coordinated": [_calendar(c, user) for c in coordinated],
        "calendars_for_me": [_calendar(c, user) for c in received],
        "slots": [
            {
                "calendar": signup.slot.calendar.title,
                "kind": signup.slot.kind,
                "what": signup.slot.title,
                "starts_at": _iso(signup.slot.starts_at),
                "ends_at": _iso(signup.slot.ends_at),
                "timezone": signup.slot.calendar.timezone,
                "status": signup.status,
                "slot_cancelled": signup.slot.is_cancelled,
            }
            for signup in signups
        ],
    }


def erase(user) -> None:
    """Release the person's coming slots through the service; stop them coordinating."""
    from volunteering.care.services import care_person_erase

    care_person_erase(user=user)


register("care_calendars", export=export, erase=erase)
