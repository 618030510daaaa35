"""What the groups app holds about a person: exported on request, anonymized on deletion.

On deletion the person leaves every group (through the same service as "Leave group", so the
group hears "membership.ended"); requests to join are withdrawn. A ban stays, with the answer
to the join question removed: it names only a "Former member" and keeps the moderation record.
"""

from django.utils.translation import gettext as _

from accounts.personal_data import register
from groups.models import Group, Membership


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    """The person's memberships and requests to join (group, role, status, dates, answer)."""
    memberships = Membership.objects.filter(user=user).select_related("group").order_by("pk")
    return {
        "memberships": [
            {
                "group": membership.group.name,
                "role": membership.role,
                "status": membership.status,
                "joined": _iso(membership.joined_at),
                "requested": _iso(membership.created_at),
                "join_answer": membership.join_answer,
            }
            for membership in memberships
        ],
        "groups_created": list(
            Group.objects.filter(created_by=user).order_by("pk").values_list("name", flat=True)
        ),
    }


def check(user) -> list[str]:
    """Groups where the person is the only active organizer: they must hand over first."""
    reasons = []
    led = Membership.objects.filter(
        user=user, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    ).select_related("group")
    for membership in led.order_by("group__name"):
        others = (
            Membership.objects.filter(
                group=membership.group,
                role=Membership.Role.ORGANIZER,
                status=Membership.Status.ACTIVE,
            )
            .exclude(user=user)
            .exists()
        )
        if not others:
            reasons.append(
                _(
                    "You are the only organizer of %(group)s. Make another member an organizer "
                    "(hand it over) first."
                )
                % {"group": membership.group.name}
            )
    return reasons


def erase(user) -> None:
    """Leave every group and withdraw every request to join; keep bans, without the answer."""
    # Imported here so that registering at start-up does not load the service layer.
    from groups.services import membership_leave

    for membership in Membership.objects.filter(user=user).exclude(status=Membership.Status.BANNED):
        membership_leave(membership=membership, actor=user)
    Membership.objects.filter(user=user, status=Membership.Status.BANNED).update(join_answer="")


register("groups", export=export, erase=erase, check=check)
