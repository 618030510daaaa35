"""Writes on accounts: profile edits, the calendar link, the personal data export and account
deletion. Each takes the `actor` (the person themselves unless said otherwise: staff in the admin,
or the system after a password reset) and refuses with core's ServiceError / NotAllowed."""

from typing import Any

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PROFILE_FIELDS, Block, User, new_calendar_token
from accounts.permissions import can_manage_account
from accounts.personal_data import sources
from core import activity
from core.activity import anonymize_actor
from core.actors import person_of
from core.bus import publish
from core.exceptions import NotAllowed, ServiceError

__all__ = [
    "PROFILE_FIELDS",
    "block_create",
    "block_delete",
    "user_calendar_token_rotate",
    "user_delete",
    "user_deletion_blockers",
    "user_export",
    "user_profile_update",
]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _check_actor(actor, user: User, *, permission: str = "accounts.change_user") -> None:
    if not can_manage_account(user if actor is None else actor, user, permission=permission):
        raise NotAllowed()


def user_profile_update(*, user: User, actor=None, **fields: Any) -> User:
    """Change what the person tells others about themselves (only the profile fields); every
    rule is the model's (one line, no direction controls, a known time zone...)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    _check_actor(actor, user)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(user, name, value)
        try:
            user.full_clean()
        except ValidationError as error:
            raise ServiceError.from_validation_error(error) from error
        user.save(update_fields=list(fields))
    return user


def user_calendar_token_rotate(*, user: User, actor=None) -> User:
    """Give the person a new private calendar link; the old one stops working. Also done by the
    system whenever the password or the email address changes, so a link handed out with an
    old password or address dies with them."""
    _check_actor(actor, user)
    with transaction.atomic():
        user.calendar_token = new_calendar_token()
        user.save(update_fields=["calendar_token"])
    return user


def user_export(*, user: User) -> dict:
    """Everything Connect holds about this person, as JSON-able data (never other people's)."""
    account: dict[str, Any] = {"email": user.email}
    account.update({name: getattr(user, name) for name in PROFILE_FIELDS})
    account["interests"] = user.interest_list
    account["date_joined"] = _iso(user.date_joined)
    account["last_login"] = _iso(user.last_login)
    data: dict[str, Any] = {
        "account": account,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
    }
    for source in sources():
        data[source.name] = source.export(user)
    return data


def user_deletion_blockers(*, user: User) -> list[str]:
    """Why the account cannot be deleted yet (each app's check), as messages for the person."""
    reasons: list[str] = []
    for source in sources():
        if source.check is not None:
            reasons.extend(source.check(user))
    return reasons


def user_delete(*, user: User, actor=None) -> None:
    """Delete an account: every app erases its data, then the user row is anonymized and kept,
    so shared history (past RSVPs, group events) shows a "Former member" and the activity log
    keeps what was done but no longer by whom."""
    _check_actor(actor, user, permission="accounts.delete_user")
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.deleted_at is not None:
            raise ServiceError(_("This account has already been deleted."), code="deleted")
        reasons = user_deletion_blockers(user=user)
        if reasons:
            raise ServiceError(reasons)
        publish("user.deleting", user=user)
        # The most dependent data goes first, as the apps to the right build on those to the left.
        for source in reversed(sources()):
            source.erase(user)
        old_email = user.email
        EmailAddress.objects.filter(user=user).delete()
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username__iexact=old_email).delete()
        anonymize_actor(user)
        user.email = f"deleted-{user.pk}@invalid.example"
        for name in PROFILE_FIELDS:
            setattr(user, name, User._meta.get_field(name).get_default())
        user.calendar_token = new_calendar_token()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.deleted_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()


ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")


def user_access_set(*, user: User, actor, **access: bool) -> User:
    """Change whether an account may log in, use the admin or moderate (site moderators only).
    The last active superuser cannot lose that, so the site always keeps a moderator."""
    unknown = set(access) - set(ACCESS_FIELDS)
    if unknown:
        raise ValueError(f"unknown access fields: {', '.join(sorted(unknown))}")
    person = person_of(actor)
    if not (person is not None and person.is_active and person.is_superuser):
        raise NotAllowed
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = {name: getattr(user, name) for name in ACCESS_FIELDS}
        for name, value in access.items():
            setattr(user, name, bool(value))
        losing = (
            before["is_superuser"]
            and before["is_active"]
            and not (user.is_superuser and user.is_active)
        )
        if (
            losing
            and not User.objects.filter(is_superuser=True, is_active=True)
            .exclude(pk=user.pk)
            .exists()
        ):
            raise ServiceError(_("The site needs at least one active site moderator."))
        after = {name: getattr(user, name) for name in ACCESS_FIELDS}
        changed = activity.changes(before, after)
        if changed:
            user.save(update_fields=list(changed))
            activity.record(actor=actor, verb="user.access_changed", subject=user, data=changed)
        return user


def block_create(*, actor, blocked: User) -> Block:
    """Block someone: each disappears from the other's view and neither can message the
    other. Blocking twice is blocking once. Kept in the activity log (with no group: nobody
    else is told)."""
    person = person_of(actor)
    if person is None or not person.is_authenticated:
        raise NotAllowed()
    if person.pk == blocked.pk:
        raise ServiceError(_("You can't block yourself."))
    with transaction.atomic():
        block, created = Block.objects.get_or_create(blocker=person, blocked=blocked)
        if created:
            activity.record(actor=actor, verb="person.blocked", subject=blocked)
    return block


def block_delete(*, actor, blocked: User) -> None:
    """Unblock someone the actor blocked (nothing happens when there was no block)."""
    person = person_of(actor)
    if person is None or not person.is_authenticated:
        raise NotAllowed()
    with transaction.atomic():
        deleted, _rows = Block.objects.filter(blocker=person, blocked=blocked).delete()
        if deleted:
            activity.record(actor=actor, verb="person.unblocked", subject=blocked)
