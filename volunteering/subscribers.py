"""How the volunteering app reacts to what other apps announce (core.bus)."""

from django.utils import timezone

from core.actors import Actor, as_actor
from core.bus import subscribe
from groups.models import Group, Membership
from volunteering.models import ShiftSignup
from volunteering.services import signup_withdraw
from volunteering.services._common import hide_slugs, is_hidden

MEMBERSHIP_ENDED = "membership ended"


def withdraw_signups_when_shut_out(*, topic: str, membership, actor=None, **payload) -> None:
    """Someone banned from a group, or who leaves a group whose content only members see,
    gives up their places on its coming shifts, so the places go to others."""
    group = Group.objects.filter(pk=membership.group_id).first()
    if group is None:
        return
    banned = membership.status == Membership.Status.BANNED
    if not banned and group.visibility == Group.Visibility.PUBLIC:
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


def hide_slugs_when_group_hides(*, topic: str, group=None, changed_fields=(), **payload) -> None:
    """A group that became private or unlisted: its projects get unguessable addresses."""
    if group is None or "visibility" not in set(changed_fields or ()):
        return
    group = Group.objects.filter(pk=group.pk).first()
    if group is not None and is_hidden(group):
        hide_slugs(group)


subscribe("membership.ended", withdraw_signups_when_shut_out)
subscribe("group.updated", hide_slugs_when_group_hides)
