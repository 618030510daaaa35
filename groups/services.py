"""Every write to groups and memberships, with its rules.

Each service takes the `actor` (a User or a core.actors.Actor: a person, the system), refuses
with core.exceptions.NotAllowed when the actor may not act and ServiceError when a rule says
no, checks the rows with full_clean (rules about one row live on the models), and writes the
activity row inside its transaction.
"""

import secrets
import string

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import activity, bus, pictures
from core.actors import Actor, person_of
from core.exceptions import NotAllowed, ServiceError
from core.validators import validate_plain_text, validate_single_line
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
    "meeting_pattern",
    "after_request",
    "outsiders_see_conduct",
    "outsiders_see_facilitators",
    "outsiders_see_meeting",
    "outsiders_see_after_request",
    "outsiders_see_reply_time",
    "picture_alt",
)
# Where a group meets is not the log's to repeat: it says these changed, not to what.
WITHHELD_FIELDS = frozenset({"latitude", "longitude", "picture"})
# Slugs that would shadow the directory's own pages.
RESERVED_SLUGS = frozenset({"new", "mine"})
SLUG_MAX_LENGTH = Group._meta.get_field("slug").max_length
# Private and unlisted groups: their address must neither be guessed from the name nor collide
# with (and so reveal itself to) a public group's; see hidden_slug.
HIDDEN_VISIBILITIES = frozenset({Group.Visibility.PRIVATE, Group.Visibility.UNLISTED})
SLUG_SUFFIX_LENGTH = 12
_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
SLUG_ATTEMPTS = 3


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Fields that cannot be set on a group: {', '.join(sorted(unknown))}")


def _full_clean(obj, **kwargs) -> None:
    """The model's own rules (fields, clean(), constraints) as a ServiceError."""
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        raise ServiceError.from_validation_error(error) from None


def _slug_base(name: str) -> str:
    return slugify(name)[: SLUG_MAX_LENGTH - SLUG_SUFFIX_LENGTH - 1].strip("-") or "group"


def _random_suffix() -> str:
    """Random lowercase letters and digits with at least one letter, so a hidden group's slug
    is never one of the public `name-2`, `name-3`..."""
    while True:
        suffix = "".join(secrets.choice(_SUFFIX_ALPHABET) for _ in range(SLUG_SUFFIX_LENGTH))
        if any(char.isalpha() for char in suffix):
            return suffix


def hidden_slug(name: str) -> str:
    """A private or unlisted group's address: its name and an unguessable suffix. Hidden groups
    never take a plain name, so a public group's address says nothing about them."""
    return f"{_slug_base(name)}-{_random_suffix()}"


def _public_slug(name: str) -> str:
    """A public group's address: its name, then `-2`, `-3`... Only public groups hold slugs of
    that shape (hidden ones carry a suffix with a letter), so the count reveals nothing."""
    base = _slug_base(name)
    taken = set(Group.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    if base not in taken and base not in RESERVED_SLUGS:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _slug_for(group: Group) -> str:
    if group.visibility in HIDDEN_VISIBILITIES:
        return hidden_slug(group.name)
    return _public_slug(group.name)


def _save_with_new_slug(group: Group) -> None:
    """Save the group under a fresh address, trying again if someone took it a moment ago."""
    adding = group._state.adding
    for _attempt in range(SLUG_ATTEMPTS):
        group.slug = _slug_for(group)
        try:
            with transaction.atomic():
                group.save()
            return
        except IntegrityError:
            if adding:
                group.pk = None
                group._state.adding = True
    raise ServiceError(_("Please try again: that name was just taken."))


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


def _organizers_only() -> NotAllowed:
    return NotAllowed(_("Only the group's organizers can do that."))


def _require_manager(actor, group: Group) -> None:
    if not permissions.can_manage_group(actor, group):
        raise _organizers_only()


def _require_person(actor):
    """The signed-in person acting (joining, leaving and starting a group are a person's own
    acts); NotAllowed for nobody, the system or an API client."""
    user = person_of(actor)
    if user is None:
        raise NotAllowed(_("Please log in first."))
    return user


def _require_not_last_organizer(membership: Membership, message: str) -> None:
    if _is_active_organizer(membership) and not _other_active_organizers(membership):
        raise ServiceError(message)


def _needs_an_organizer() -> str:
    return _("A group needs at least one organizer. Make someone else an organizer first.")


def _record(actor, verb: str, membership: Membership, **data) -> None:
    activity.record(
        actor=actor,
        verb=verb,
        subject=membership,
        group_id=membership.group_id,
        data={"user": membership.user_id, **data},
    )


def _changed(membership: Membership, actor) -> None:
    # An active member came or changed role: what visitors see of the group (its member count,
    # its organizers) changed. Announced so that public pages are not served stale.
    bus.publish("membership.changed", membership=membership, actor=actor)


def _end(membership: Membership, actor, *, how: str) -> None:
    # A request to join that goes away was never a membership: nothing to announce. Whoever
    # ended it (the person leaving, an organizer) acts in what other apps do about it; `how`
    # ("left", "removed", "banned") lets them treat a ban apart.
    if membership.status == Membership.Status.ACTIVE:
        bus.publish("membership.ended", membership=membership, actor=actor, how=how)


def _set_picture(group: Group, stored: pictures.StoredPicture | None, remove: bool) -> list[str]:
    """Put the new picture (or none) on the group; returns the names of the files it drops."""
    if stored is None and not remove:
        return []
    dropped = [group.picture.name, group.picture_card.name]
    group.picture = stored.name if stored else ""
    group.picture_card = stored.card_name if stored else ""
    return [name for name in dropped if name]


@transaction.atomic
def group_create(*, actor, picture=None, **fields) -> Group:
    """Start a group (the acting person becomes its organizer). A public group's address is
    its name; a private or unlisted group's carries an unguessable suffix. `picture` is an
    uploaded file (core.pictures checks, resizes and stores it; its description is required)."""
    user = _require_person(actor)
    _check_fields(fields)
    group = Group(created_by=user, **fields)
    # The address is chosen below; the database's unique index settles a race for it.
    group.slug = "-"
    stored = pictures.picture_store(picture) if picture else None
    try:
        _set_picture(group, stored, remove=False)
        _full_clean(group, exclude={"slug"})
        _save_with_new_slug(group)
    except BaseException:
        pictures.picture_discard(stored)
        raise
    membership = Membership(
        group=group,
        user=user,
        role=Membership.Role.ORGANIZER,
        status=Membership.Status.ACTIVE,
        joined_at=timezone.now(),
    )
    _full_clean(membership)
    membership.save()
    activity.record(
        actor=actor,
        verb="group.created",
        subject=group,
        group_id=group.pk,
        data={"visibility": group.visibility},
    )
    bus.publish("group.created", group=group, actor=actor)
    return group


@transaction.atomic
def group_update(
    *, group: Group, actor, picture=None, remove_picture: bool = False, **fields
) -> Group:
    """Change a group's details; organizers only. The web address stays the same, except that
    a group that becomes private or unlisted gets a new unguessable one (its old address may
    have been seen). A new `picture` (an uploaded file) replaces the old one, whose files go
    after commit, as with `remove_picture`. Announces "group.updated" with the changed fields."""
    _require_manager(actor, group)
    _check_fields(fields)
    before = {name: getattr(group, name) for name in fields}
    before["picture"] = group.picture.name
    before_card = group.picture_card.name
    old_visibility = group.visibility
    stored = pictures.picture_store(picture) if picture else None
    for name, value in fields.items():
        setattr(group, name, value)
    dropped = _set_picture(group, stored, remove=remove_picture)
    try:
        _full_clean(group)
    except ServiceError:
        # The caller's object keeps what is saved, not the refused values.
        for name, value in before.items():
            setattr(group, name, value)
        group.picture_card = before_card
        pictures.picture_discard(stored)
        raise
    changed = activity.changes(
        before,
        {**{name: getattr(group, name) for name in fields}, "picture": group.picture.name},
        withheld=WITHHELD_FIELDS,
    )
    if not changed:
        return group
    pictures.picture_delete(*dropped)
    if group.visibility != old_visibility and group.visibility in HIDDEN_VISIBILITIES:
        _save_with_new_slug(group)
        changed_fields = {*changed, "slug"}
    else:
        group.save()
        changed_fields = set(changed)
    activity.record(
        actor=actor, verb="group.updated", subject=group, group_id=group.pk, data=changed
    )
    bus.publish("group.updated", group=group, changed_fields=frozenset(changed_fields), actor=actor)
    return group


@transaction.atomic
def group_delete(*, group: Group, actor) -> None:
    """Close a group for good; organizers only. "group.deleting" is announced first, in the same
    transaction, so other apps can wind down what hangs on the group before it goes; they act as
    the system ("group closed"), not as the person closing it."""
    if not list(Group.objects.select_for_update().filter(pk=group.pk).values_list("pk")):
        raise ServiceError(_("This group no longer exists."))
    _require_manager(actor, group)
    activity.record(actor=actor, verb="group.closed", subject=group, group_id=group.pk)
    bus.publish("group.deleting", group=group, actor=Actor.system("group closed"))
    group.delete()


@transaction.atomic
def membership_join(*, group: Group, actor, answer: str = "") -> Membership:
    """Join an open group, or ask to join one that needs approval; the actor is the person
    joining. Idempotent."""
    user = _require_person(actor)
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    if membership is not None:
        if membership.status == Membership.Status.BANNED:
            raise NotAllowed(_("You can't join this group."))
        return membership
    if not permissions.can_view_group(user, group, membership=None):
        raise NotAllowed
    answer = (answer or "").strip()
    membership = Membership(group=group, user=user, role=Membership.Role.MEMBER)
    if group.join_policy == Group.JoinPolicy.APPROVAL:
        if group.join_question and not answer:
            raise ServiceError({"answer": _("Please answer the organizers' question.")})
        membership.status = Membership.Status.PENDING
        membership.join_answer = answer
    else:
        membership.status = Membership.Status.ACTIVE
        membership.joined_at = timezone.now()
    _full_clean(membership, validate_constraints=False)
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # A second request from the same person won the race; theirs is the membership.
        return Membership.objects.get(group=group, user=user)
    verb = (
        "membership.requested"
        if membership.status == Membership.Status.PENDING
        else "membership.joined"
    )
    _record(actor, verb, membership)
    if membership.status == Membership.Status.PENDING:
        notifications.on_join_requested(membership=membership)
    else:
        _changed(membership, actor)
    return membership


@transaction.atomic
def membership_join_invited(*, group: Group, actor, invited_by) -> Membership:
    """The person (the actor) accepts an invitation from someone who runs the group's events (an
    organizer, or a partner's API client within its grant): they become an active member
    whatever the join policy and visibility, a pending request included. A ban stands.
    Idempotent."""
    user = _require_person(actor)
    if not permissions.can_manage_events(invited_by, group):
        raise NotAllowed
    membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
    if membership is not None and membership.status == Membership.Status.BANNED:
        raise NotAllowed(_("You can't join this group."))
    if membership is not None and membership.status == Membership.Status.ACTIVE:
        return membership
    membership = membership or Membership(group=group, user=user, role=Membership.Role.MEMBER)
    membership.status = Membership.Status.ACTIVE
    membership.joined_at = timezone.now()
    _full_clean(membership, validate_constraints=False)
    membership.save()
    _record(actor, "membership.joined", membership, invited=True)
    _changed(membership, actor)
    return membership


@transaction.atomic
def membership_leave(*, membership: Membership, actor) -> None:
    """Leave a group or withdraw a request to join (the member's own act). The last organizer
    must hand over first."""
    user = _require_person(actor)
    if membership.user_id != user.pk:
        raise NotAllowed
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
    _record(actor, "membership.left", membership, status=membership.status)
    _end(membership, actor, how="left")
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
    _full_clean(membership, validate_constraints=False)
    membership.save()
    _record(actor, "membership.approved", membership)
    _changed(membership, actor)
    notifications.on_join_request_approved(membership=membership, actor=actor)
    return membership


NOTE_MAX_LENGTH = 1000


def _note(text: str, field: str) -> str:
    """An organizer's note or reason to the person: plain text, at most NOTE_MAX_LENGTH."""
    text = (text or "").strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise ServiceError({field: _("Keep it under %(n)s characters.") % {"n": NOTE_MAX_LENGTH}})
    try:
        validate_plain_text(text)
    except ValidationError as error:
        raise ServiceError({field: error.messages}) from None
    return text


@transaction.atomic
def membership_decline(*, membership: Membership, actor, note: str = "") -> None:
    """Turn down a request to join; organizers only. The person is told, with the organizer's
    kind note when there is one, and may ask again later."""
    note = _note(note, "note")
    _lock(membership)
    _require_manager(actor, membership.group)
    _require_pending(membership)
    _record(actor, "membership.declined", membership, with_note=bool(note))
    notifications.on_join_request_declined(membership=membership, note=note, actor=actor)
    membership.delete()


@transaction.atomic
def membership_set_role(*, membership: Membership, actor, role: str) -> Membership:
    """Make an active member an organizer, a host or a plain member; organizers only."""
    _lock(membership)
    _require_manager(actor, membership.group)
    if membership.status != Membership.Status.ACTIVE:
        raise ServiceError(_("Only active members can be given a role."))
    old_role = membership.role
    membership.role = role
    _full_clean(membership, validate_constraints=False)  # an unknown role stops here
    if (
        old_role == Membership.Role.ORGANIZER
        and role != Membership.Role.ORGANIZER
        and not _other_active_organizers(membership)
    ):
        raise ServiceError(_needs_an_organizer())
    if role == old_role:
        return membership
    membership.save()
    _record(actor, "membership.role_changed", membership, role=[old_role, role])
    _changed(membership, actor)
    if role in (Membership.Role.ORGANIZER, Membership.Role.HOST):
        notifications.on_role_changed(membership=membership, actor=actor)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor, reason: str = "") -> None:
    """Remove someone from a group (they may join again): organizers remove anyone else,
    hosts remove plain members. The person is told, with the reason when one is given."""
    reason = _note(reason, "reason")
    _lock(membership)
    person = person_of(actor)
    if person is not None and membership.user_id == person.pk:
        raise ServiceError(_("To leave the group, use “Leave group”."))
    if not permissions.can_remove_member(actor, membership):
        raise NotAllowed(_("Only the group's organizers can do that."))
    if membership.status == Membership.Status.BANNED:
        raise ServiceError(_("This person is banned, not a member."))
    _require_not_last_organizer(membership, _needs_an_organizer())
    _record(actor, "membership.removed", membership, status=membership.status, reason=reason)
    _end(membership, actor, how="removed")
    if membership.status == Membership.Status.ACTIVE:
        notifications.on_member_removed(membership=membership, reason=reason)
    membership.delete()


@transaction.atomic
def membership_ban(*, membership: Membership, actor, reason: str = "") -> Membership:
    """Remove someone and keep them from joining again; organizers only. The reason is kept
    in the activity log; the person is not told."""
    reason = _note(reason, "reason")
    _lock(membership)
    _require_manager(actor, membership.group)
    person = person_of(actor)
    if person is not None and membership.user_id == person.pk:
        raise ServiceError(_("You can't ban yourself."))
    if membership.status == Membership.Status.BANNED:
        return membership
    _require_not_last_organizer(membership, _needs_an_organizer())
    _end(membership, actor, how="banned")
    previous = membership.status
    membership.status = Membership.Status.BANNED
    membership.role = Membership.Role.MEMBER
    _full_clean(membership, validate_constraints=False)
    membership.save()
    _record(
        actor, "membership.banned", membership, status=[previous, membership.status], reason=reason
    )
    return membership


@transaction.atomic
def membership_unban(*, membership: Membership, actor) -> None:
    """Lift a ban; organizers only. The row goes, so the person may ask to join again."""
    _lock(membership)
    _require_manager(actor, membership.group)
    if membership.status != Membership.Status.BANNED:
        raise ServiceError(_("This person is not banned."))
    _record(actor, "membership.unbanned", membership)
    membership.delete()


MESSAGE_SUBJECT_MAX_LENGTH = 150
MESSAGE_BODY_MAX_LENGTH = 5000


def clean_message(subject: str, body: str) -> tuple[str, str]:
    """An organizer's message: a one-line subject and a plain-text body, both required (the
    rule for group and event messages alike)."""
    subject, body = (subject or "").strip(), (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Give the message a subject.")
    elif len(subject) > MESSAGE_SUBJECT_MAX_LENGTH:
        errors["subject"] = _("Keep the subject under %(n)s characters.") % {
            "n": MESSAGE_SUBJECT_MAX_LENGTH
        }
    else:
        try:
            validate_single_line(subject)
        except ValidationError as error:
            errors["subject"] = error.messages
    if not body:
        errors["body"] = _("Write the message.")
    elif len(body) > MESSAGE_BODY_MAX_LENGTH:
        errors["body"] = _("Keep the message under %(n)s characters.") % {
            "n": MESSAGE_BODY_MAX_LENGTH
        }
    else:
        try:
            validate_plain_text(body)
        except ValidationError as error:
            errors["body"] = error.messages
    if errors:
        raise ServiceError(errors)
    return subject, body


@transaction.atomic
def group_message_send(
    *, group: Group, actor, subject: str, body: str, user_ids: list[int] | None = None
) -> int:
    """Message every active member of the group through their notification channels, or only
    the chosen ones (`user_ids`: anyone there who is not an active member is left out);
    organizers only. Kept in the activity log (subject and how many it went to). Returns the
    number of notices written."""
    _require_manager(actor, group)
    subject, body = clean_message(subject, body)
    if user_ids is not None:
        user_ids = sorted({int(pk) for pk in user_ids})
        if not user_ids:
            raise ServiceError(_("Choose at least one member to message."))
    row = activity.record(
        actor=actor, verb="group.messaged", subject=group, group_id=group.pk, data={}
    )
    sent = notifications.on_group_message(
        group=group,
        sender=person_of(actor),
        subject=subject,
        body=body,
        key=str(row.pk),
        user_ids=user_ids,
    )
    row.data = {"subject": subject, "notices": sent}
    if user_ids is not None:
        row.data["chosen"] = len(user_ids)
    row.save(update_fields=["data"])
    return sent


@transaction.atomic
def group_contact_organizers(*, group: Group, actor, subject: str, body: str) -> int:
    """Relay a person's message to the group's active organizers through their notification
    channels ("Contact the organizers"): no address is shown either way and replies reach
    nobody. Kept in the activity log (subject and how many notices). Returns the notices
    written."""
    person = _require_person(actor)
    if not permissions.can_contact_organizers(person, group):
        raise NotAllowed(_("You can't write to this group's organizers."))
    subject, body = clean_message(subject, body)
    row = activity.record(
        actor=actor, verb="group.organizers_contacted", subject=group, group_id=group.pk, data={}
    )
    sent = notifications.on_organizers_contacted(
        group=group, sender=person, subject=subject, body=body, key=str(row.pk)
    )
    row.data = {"subject": subject, "notices": sent}
    row.save(update_fields=["data"])
    return sent
