"""Writes on accounts: profile edits, the personal data export and account deletion."""

from typing import Any

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User, new_calendar_token
from accounts.personal_data import sources
from core.bus import publish
from core.exceptions import ServiceError

PROFILE_FIELDS = (
    "display_name",
    "show_first_name_only",
    "pronouns",
    "bio",
    "city",
    "latitude",
    "longitude",
    "timezone",
    "interests",
)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def user_profile_update(*, user: User, **fields: Any) -> User:
    """Change what the person tells others about themselves (only the profile fields)."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    with transaction.atomic():
        for name, value in fields.items():
            setattr(user, name, value)
        user.full_clean()
        user.save(update_fields=list(fields))
    return user


def user_calendar_token_rotate(*, user: User) -> User:
    """Give the person a new private calendar link; the old one stops working."""
    with transaction.atomic():
        user.calendar_token = new_calendar_token()
        user.save(update_fields=["calendar_token"])
    return user


def user_export(*, user: User) -> dict:
    """Everything Connect holds about this person, as JSON-able data (never other people's)."""
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "show_first_name_only": user.show_first_name_only,
            "pronouns": user.pronouns,
            "bio": user.bio,
            "city": user.city,
            "latitude": user.latitude,
            "longitude": user.longitude,
            "timezone": user.timezone,
            "interests": user.interest_list,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
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


def user_delete(*, user: User) -> None:
    """Delete an account: every app erases its data, then the user row is anonymized and kept,
    so shared history (past RSVPs, group events) shows a "Former member"."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.deleted_at is not None:
            raise ServiceError(_("This account has already been deleted."))
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
        user.email = f"deleted-{user.pk}@invalid.example"
        user.display_name = ""
        user.show_first_name_only = False
        user.pronouns = ""
        user.bio = ""
        user.city = ""
        user.latitude = None
        user.longitude = None
        user.timezone = "UTC"
        user.interests = ""
        user.calendar_token = new_calendar_token()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.deleted_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
