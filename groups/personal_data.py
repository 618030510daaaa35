"""What the groups app holds about a person: exported on request, anonymized on deletion.

On deletion the person leaves every group (through the same service as "Leave group", so the
group hears "membership.ended"); requests to join are withdrawn. A ban stays, with the answer
to the join question removed: it names only a "Former member" and keeps the moderation record.
The only organizer of a group cannot go before handing it over, or closing it.
"""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.html import format_html
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
    """Groups where the person is the only active organizer: they hand it over or close it
    first (only close it, when nobody else is left in it). Messages link to the way out."""
    led = Membership.objects.filter(
        user=user, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    ).values("group_id")
    others = Membership.objects.filter(
        group=OuterRef("pk"), status=Membership.Status.ACTIVE
    ).exclude(user=user)
    groups = (
        Group.objects.filter(pk__in=led)
        .annotate(
            other_organizer=Exists(others.filter(role=Membership.Role.ORGANIZER)),
            other_member=Exists(others),
        )
        .filter(other_organizer=False)
        .order_by("name", "pk")
    )
    reasons = []
    for group in groups:
        close_url = reverse("groups:delete", kwargs={"slug": group.slug})
        if group.other_member:
            reasons.append(
                format_html(
                    _(
                        "You are the only organizer of {group}. "
                        '<a href="{members_url}">Make another member an organizer</a> '
                        '(hand it over) or <a href="{close_url}">close the group</a> first.'
                    ),
                    group=group.name,
                    members_url=reverse("groups:members", kwargs={"slug": group.slug}),
                    close_url=close_url,
                )
            )
        else:
            reasons.append(
                format_html(
                    _(
                        "You are the only member left in {group}. "
                        '<a href="{close_url}">Close the group</a> first.'
                    ),
                    group=group.name,
                    close_url=close_url,
                )
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
