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
