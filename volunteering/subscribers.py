"""How the volunteering app reacts to what other apps announce (core.bus)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import Actor, as_actor
from core.bus import subscribe
from groups.models import Group
from volunteering.models import ShiftSignup
from volunteering.services import signup_withdraw
from volunteering.services._common import hide_slugs, is_hidden

MEMBERSHIP_ENDED = "membership ended"


def withdraw_signups_when_membership_ends(
    *, topic: str, membership, actor=None, how: str = "banned", **payload
):
    """Someone banned by a group gives up their places on its coming shifts, as with RSVPs, so
    the places go to others; so does someone who leaves (or is removed from) a private group,
    whose projects they can no longer see. Leaving a public or unlisted group keeps the shifts:
    anyone may volunteer there, so the person could sign up again at once and would only lose
    their place in line. (An unknown ending counts as a ban: the safe side.)"""
    group = Group.objects.filter(pk=membership.group_id).only("visibility").first()
    if how != "banned" and group is not None and group.visibility != Group.Visibility.PRIVATE:
        return
    actor = as_actor(actor) or Actor.system(MEMBERSHIP_ENDED)
    signups = ShiftSignup.objects.filter(
        user_id=membership.user_id,
        shift__role__project__group_id=membership.group_id,
        status__in=[ShiftSignup.Status.SIGNED_UP, ShiftSignup.Status.WAITLISTED],
        shift__starts_at__gt=timezone.now(),
    )
    for signup in signups:
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
subscribe("group.updated", hide_slugs_when_group_hides)
subscribe("group.deleting", cancel_shifts_when_group_closes)
