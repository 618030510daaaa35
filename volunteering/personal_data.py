"""What the volunteering app holds about a person (sign-ups, waiver acceptances): exported on
request; on deletion, sign-ups to shifts that have not started are withdrawn through the service
so their places go to the waitlist. Past sign-ups stay for the organizers' records."""

from django.utils import timezone

from accounts.personal_data import register
from volunteering.models import ShiftSignup, WaiverAcceptance


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    signups = (
        ShiftSignup.objects.filter(user=user)
        .select_related("shift__role__project")
        .order_by("shift__starts_at")
    )
    waivers = WaiverAcceptance.objects.filter(user=user).select_related("project")
    return {
        "shift_signups": [
            {
                "project": s.shift.role.project.title,
                "role": s.shift.role.name,
                "starts_at": _iso(s.shift.starts_at),
                "timezone": s.shift.timezone,
                "status": s.status,
                "team": list(s.team),
                "age_consent": s.age_consent,
                "guardian_name": s.guardian_name,
                "created_at": _iso(s.created_at),
                "withdrawn_at": _iso(s.withdrawn_at),
            }
            for s in signups
        ],
        "waivers_accepted": [
            {
                "project": w.project.title,
                "version": w.version,
                "text_sha256": w.text_sha256,
                "accepted_at": _iso(w.accepted_at),
            }
            for w in waivers.order_by("accepted_at")
        ],
    }


def erase(user) -> None:
    """Withdraw the person's sign-ups to shifts that have not started; keep past ones."""
    from volunteering.services import signup_withdraw

    coming = (
        ShiftSignup.objects.filter(
            user=user,
            status__in=[ShiftSignup.Status.SIGNED_UP, ShiftSignup.Status.WAITLISTED],
            shift__starts_at__gt=timezone.now(),
        )
        .select_related("shift")
        .order_by("shift__starts_at")
    )
    for signup in coming:
        signup_withdraw(signup=signup, actor=user)


register("volunteering", export=export, erase=erase)
