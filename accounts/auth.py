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


def client_ip(request):
    """The visitor's address as allauth sees it (X-Forwarded-For trusted only as far as
    TRUSTED_PROXY_COUNT says), so axes and allauth count failures against the same address."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        # A request with no address at all (a login made in code, not over HTTP).
        return request.META.get("REMOTE_ADDR")
