"""How the volunteering app reacts to what other apps announce (core.bus)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core import when
from core.actors import Actor, as_actor
from core.bus import subscribe
from groups import leaving
from groups.models import Group
from volunteering.models import ShiftSignup
from volunteering.services import signup_withdraw
from volunteering.services._common import hide_slugs, is_hidden

MEMBERSHIP_ENDED = "membership ended"


def _withdrawn(*, group_id, how: str) -> bool:
    """Whether a membership ending this way gives up the person's places on the group's coming
    shifts: a ban does, and so does leaving (or being removed from) a private group, whose
    projects the person can no longer see. Leaving a public or unlisted group keeps the shifts:
    anyone may volunteer there, so the person could sign up again at once and would only lose
    their place in line. (An unknown ending counts as a ban: the safe side.)"""
    if how == "banned":
        return True
    group = Group.objects.filter(pk=group_id).only("visibility").first()
    return group is None or group.visibility == Group.Visibility.PRIVATE


def _coming_signups(membership):
    """The person's places (and waitlist places) on the group's coming shifts."""
    return ShiftSignup.objects.filter(
        user_id=membership.user_id,
        shift__role__project__group_id=membership.group_id,
        status__in=[ShiftSignup.Status.SIGNED_UP, ShiftSignup.Status.WAITLISTED],
        shift__starts_at__gt=timezone.now(),
    )


def signups_given_up(*, membership) -> list[str]:
    """For the "leave group" page (groups.leaving): the coming shifts whose place leaving
    gives up, soonest first (none when leaving keeps them). Two queries at most."""
    if not _withdrawn(group_id=membership.group_id, how="left"):
        return []
    signups = (
        _coming_signups(membership)
        .select_related("shift__role__project")
        .only(
            "status",
            "shift__starts_at",
            "shift__timezone",
            "shift__role__name",
            "shift__role__project__title",
        )
        .order_by("shift__starts_at", "pk")[: leaving.LIMIT]
    )
    return [
        (
            _("Your place on the waiting list for the %(role)s shift of %(project)s, %(when)s")
            if signup.status == ShiftSignup.Status.WAITLISTED
            else _("Your %(role)s shift for %(project)s, %(when)s")
        )
        % {
            "role": signup.shift.role.name,
            "project": signup.shift.role.project.title,
            "when": when.moment(signup.shift.starts_at, signup.shift.timezone),
        }
        for signup in signups
    ]


def withdraw_signups_when_membership_ends(
    *, topic: str, membership, actor=None, how: str = "banned", **payload
):
    """Someone banned by a group gives up their places on its coming shifts, as with RSVPs, so
    the places go to others; so does someone who leaves a private group (see _withdrawn)."""
    if not _withdrawn(group_id=membership.group_id, how=how):
        return
    actor = as_actor(actor) or Actor.system(MEMBERSHIP_ENDED)
    for signup in _coming_signups(membership):
        signup_withdraw(signup=signup, actor=actor)


def cancel_shifts_when_group_closes(*, topic: str, group: Group, actor=None, **payload) -> None:
    """A group that closes cancels its coming shifts through shift_cancel, before its rows go,
    so the volunteers signed up or waiting are told."""
    from volunteering.models import Shift
    from volunteering.services import shift_cancel

    actor = as_actor(actor) or Actor.system("group closed")
    message = _("%(group)s has closed, so this shift will not take place.") % {"group": group.name}
    coming = Shift.objects.filter(role__project__group=group).scheduled().upcoming()
    for shift in coming.order_by("starts_at", "pk"):
        shift_cancel(shift=shift, actor=actor, message=message)


def hide_slugs_when_group_hides(*, topic: str, group=None, changed_fields=(), **payload) -> None:
    """A group that became private or unlisted: its projects get unguessable addresses."""
    if group is None or "visibility" not in set(changed_fields or ()):
        return
    group = Group.objects.filter(pk=group.pk).first()
    if group is not None and is_hidden(group):
        hide_slugs(group)


subscribe("membership.ended", withdraw_signups_when_membership_ends)
leaving.register("volunteering", order=20, given_up=signups_given_up)
subscribe("group.updated", hide_slugs_when_group_hides)
subscribe("group.deleting", cancel_shifts_when_group_closes)
