"""Errors that services raise and views turn into messages."""

from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A rule of the domain said no; the message is safe to show to the user."""
