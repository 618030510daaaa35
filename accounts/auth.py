"""Glue between django-axes and allauth's email login."""


def axes_username(request, credentials=None):
    """The login name axes counts failures against: the email address, lower-cased."""
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("login")
        or credentials.get("username")
        or request.POST.get("login", "")
    )
    return (value or "").strip().lower()


def axes_reset_on_password_reset(sender, request, user, **kwargs):
    """A new password chosen through the emailed link ends a lock-out for that address."""
    from axes.utils import reset

    reset(username=user.email.strip().lower())
