"""Glue between allauth's email login, django-axes and the account services."""


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


def rotate_calendar_token(sender, request=None, user=None, email_address=None, **kwargs):
    """After a password reset, change or set, or an address changed or confirmed: the private
    calendar link stops working, so whoever held the account's old secrets (or parked an address
    on it) cannot keep reading the calendar."""
    from accounts.services import user_calendar_token_rotate
    from core.actors import Actor

    if user is None and email_address is not None:
        user = email_address.user
    if user is None or not user.pk:
        return
    user_calendar_token_rotate(user=user, actor=Actor.system("password or email address changed"))


def client_ip(request):
    """The visitor's address for axes: core.ratelimit's rule (X-Forwarded-For trusted only as
    far as TRUSTED_PROXY_COUNT says), which allauth's adapter uses too, so axes, allauth and the
    site's limits count failures against the same address."""
    from core.ratelimit import client_address

    # None for a request with no address at all (a login made in code, not over HTTP).
    return client_address(request) or None
