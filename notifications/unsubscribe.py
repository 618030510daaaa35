"""Signed one-click unsubscribe tokens: a link per member and kind that needs no login."""

from django.core import signing

SALT = "notifications.unsubscribe"


def unsubscribe_token(*, user, kind: str) -> str:
    """A token naming the member and the kind; it cannot be forged without the secret key."""
    return signing.Signer(salt=SALT).sign_object([user.pk, kind])


def unsubscribe_token_read(token: str) -> tuple[int, str] | None:
    """The (user id, kind) a token names, or None when it was tampered with."""
    try:
        user_id, kind = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    return user_id, kind
