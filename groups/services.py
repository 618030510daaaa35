"""Every write to groups and memberships, with its rules."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import bus
from core.exceptions import ServiceError
from groups import notifications, permissions
from groups.models import Group, Membership

# Fields an organizer sets through the website (in the form's order); everything else is
# managed by the services.
EDITABLE_FIELDS = (
    "name",
    "description",
    "category",
    "city",
    "latitude",
    "longitude",
    "visibility",
    "listed_when_private",
    "join_policy",
    "join_question",
    "member_list_visibility",
    "code_of_conduct",
)
# Slugs that would shadow the directory's own pages.
RESERVED_SLUGS = frozenset({"new", "mine"})
SLUG_MAX_LENGTH = Group._meta.get_field("slug").max_length


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Fields that cannot be set on a group: {', '.join(sorted(unknown))}")


def _check_location(group: Group) -> None:
    if (group.latitude is None) != (group.longitude is None):
        raise ServiceError(_("Give both latitude and longitude, or leave both empty."))


def _slug_base(name: str) -> str:
    return slugify(name)[: SLUG_MAX_LENGTH - 8].strip("-") or "group"


def _free_slug(name: str) -> str:
    base = _slug_base(name)
    taken = set(Group.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken and base not in RESERVED_SLUGS:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _lock(membership: Membership) -> Membership:
    """Lock the group, then the membership row itself, and reload it: rules that count
    organizers must see every change committed before them, and an RSVP racing a ban or a
    leave waits on the membership row until this ends (SQLite serializes writers anyway)."""
    list(Group.objects.select_for_update().filter(pk=membership.group_id).values_list("pk"))
    try:
        membership.refresh_from_db(from_queryset=Membership.objects.select_for_update())
    except Membership.DoesNotExist:
        raise ServiceError(_("This membership no longer exists.")) from None
    return membership


def _other_active_organizers(membership: Membership) -> int:
    return (
        Membership.objects.filter(
            group_id=membership.group_id,
            role=Membership.Role.ORGANIZER,
            status=Membership.Status.ACTIVE,
        )
        .exclude(pk=membership.pk)
        .count()
    )


def _is_active_organizer(membership: Membership) -> bool:
    return (
        membership.status == Membership.Status.ACTIVE
        and membership.role == Membership.Role.ORGANIZER
    )


def _require_manager(actor, group: Group) -> None:
    if not permissions.can_manage_group(actor, group):
        raise PermissionDenied


def _require_not_last_organizer(membership: Membership, message: str) -> None:
    if _is_active_organizer(membership) and not _other_active_organizers(membership):
        raise ServiceError(message)


def _needs_an_organizer() -> str:
    return _("A group needs at least one organizer. Make someone else an organizer first.")


def _end(membership: Membership) -> None:
    # A request to join that goes away was never a membership: nothing to announce.
    if membership.status == Membership.Status.ACTIVE:
        bus.publish("membership.ended", membership=membership)


@transaction.atomic
def group_create(*, actor, **fields) -> Group:
    """Start a group with a unique web address made from its name; the actor is its organizer."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    _check_fields(fields)
    group = Group(created_by=actor, **fields)
    _check_location(group)
    for _attempt in range(3):
        group.slug = _free_slug(group.name)
        group.full_clean()
        try:
            with transaction.atomic():
                group.save()
            break
        except IntegrityError:
            # Someone took the same address a moment ago: pick the next one.
            group.pk = None
    else:
        raise ServiceError(_("Please try again: that name was just taken."))
    membership = Membership(
        group=group,
        user=actor,
        role=Membership.Role.ORGANIZER,
        status=Membership.Status.ACTIVE,
        joined_at=timezone.now(),
    )
    membership.full_clean()
    membership.save()
    return group


@transaction.atomic
def group_update(*, group: Group, actor, **fields) -> Group:
    """Change a group's details; organizers only. The web address stays the same."""
    _require_manager(actor, group)
    _check_fields(fields)
    for name, value in fields.items():
        setattr(group, name, value)
    _check_location(group)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_delete(*, group: Group, actor) -> None:
    """Close a group for good; organizers only. "group.deleting" is announced first, in the same
    transaction, so other apps can wind down what hangs on the group before it goes."""
    if not list(Group.objects.select_for_update().filter(pk=group.pk).values_list("pk")):
        raise ServiceError(_("This group no longer exists."))
    _require_manager(actor, group)
    bus.publish("group.deleting", group=group)
    group.delete()


@transaction.atomic
def membership_join(*, group: Group, user, answer: str = "") -> Membership:
    """Join an open group, or ask to join one that needs approval. Idempotent."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    if membership is not None:
        if membership.status == Membership.Status.BANNED:
            raise ServiceError(_("You can't join this group."))
        return membership
    if not permissions.can_view_group(user, group, membership=None):
        raise PermissionDenied
    answer = (answer or "").strip()
    membership = Membership(group=group, user=user, role=Membership.Role.MEMBER)
    if group.join_policy == Group.JoinPolicy.APPROVAL:
        if group.join_question and not answer:
            raise ServiceError(_("Please answer the organizers' question."))
        membership.status = Membership.Status.PENDING
        membership.join_answer = answer
    else:
        membership.status = Membership.Status.ACTIVE
        membership.joined_at = timezone.now()
    membership.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # A second request from the same person won the race; theirs is the membership.
        return Membership.objects.get(group=group, user=user)
    return membership


@transaction.atomic
def membership_leave(*, membership: Membership, actor) -> None:
    """Leave a group or withdraw a request to join. The last organizer must hand over first."""
    if actor is None or membership.user_id != actor.pk:
        raise PermissionDenied
    _lock(membership)
    if membership.status == Membership.Status.BANNED:
        raise ServiceError(_("You are not a member of this group."))
    _require_not_last_organizer(
        membership,
        _(
            "You are the last organizer of %(group)s. Make another member an organizer "
            "before you leave."
        )
        % {"group": membership.group.name},
    )
    _end(membership)
    membership.delete()


def _require_pending(membership: Membership) -> None:
    if membership.status != Membership.Status.PENDING:
        raise ServiceError(_("This request has already been handled."))


@transaction.atomic
def membership_approve(*, membership: Membership, actor) -> Membership:
    """Accept a request to join; organizers only. Tells the person."""
    _lock(membership)
    _require_manager(actor, membership.group)
    _require_pending(membership)
    membership.status = Membership.Status.ACTIVE
    membership.joined_at = timezone.now()
    membership.full_clean(validate_constraints=False)
    membership.save()
    notifications.on_join_request_approved(membership=membership)
    return membership


@transaction.atomic
def membership_decline(*, membership: Membership, actor) -> None:
    """Turn down a request to join; organizers only. The person may ask again later."""
    _lock(membership)
    _require_manager(actor, membership.group)
    _require_pending(membership)
    membership.delete()


@transaction.atomic
def membership_set_role(*, membership: Membership, actor, role: str) -> Membership:
    """Make an active member an organizer, a host or a plain member; organizers only."""
    _lock(membership)
    _require_manager(actor, membership.group)
    if role not in Membership.Role.values:
        raise ServiceError(_("Unknown role."))
    if membership.status != Membership.Status.ACTIVE:
        raise ServiceError(_("Only active members can be given a role."))
    if role != Membership.Role.ORGANIZER:
        _require_not_last_organizer(
            membership,
            _needs_an_organizer(),
        )
    membership.role = role
    membership.full_clean(validate_constraints=False)
    membership.save()
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """Remove someone from a group (they may join again): organizers remove anyone else,
    hosts remove plain members."""
    _lock(membership)
    if actor is not None and membership.user_id == actor.pk:
        raise ServiceError(_("To leave the group, use “Leave group”."))
    if not permissions.can_remove_member(actor, membership):
        raise PermissionDenied
    if membership.status == Membership.Status.BANNED:
        raise ServiceError(_("This person is banned, not a member."))
    _require_not_last_organizer(membership, _needs_an_organizer())
    _end(membership)
    membership.delete()


@transaction.atomic
def membership_ban(*, membership: Membership, actor) -> Membership:
    """Remove someone and keep them from joining again; organizers only."""
    _lock(membership)
    _require_manager(actor, membership.group)
    if membership.user_id == actor.pk:
        raise ServiceError(_("You can't ban yourself."))
    if membership.status == Membership.Status.BANNED:
        return membership
    _require_not_last_organizer(membership, _needs_an_organizer())
    _end(membership)
    membership.status = Membership.Status.BANNED
    membership.role = Membership.Role.MEMBER
    membership.full_clean(validate_constraints=False)
    membership.save()
    return membership


@transaction.atomic
def membership_unban(*, membership: Membership, actor) -> None:
    """Lift a ban; organizers only. The row goes, so the person may ask to join again."""
    _lock(membership)
    _require_manager(actor, membership.group)
    if membership.status != Membership.Status.BANNED:
        raise ServiceError(_("This person is not banned."))
    membership.delete()
