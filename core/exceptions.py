"""The errors every service and selector raises, whoever calls them (website, workspace, API,
admin, tasks). Web code turns them into form errors, messages, 403/404 pages or problem+json;
`core.web` holds the website's half of that mapping."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class ServiceError(ValidationError):
    """A rule of the domain said no. The message (or the per-field messages, as with Django's
    ValidationError: `ServiceError({"ends_at": "..."})`) is safe to show to the person acting.
    """

    @classmethod
    def from_validation_error(cls, error: ValidationError) -> "ServiceError":
        """The same messages, per field where the model said which field."""
        if isinstance(error, ServiceError):
            return error
        if hasattr(error, "error_dict"):
            return cls(error.error_dict)
        return cls(error.error_list)

    def field_errors(self) -> dict[str, list[str]]:
        """Messages by field name; NON_FIELD_ERRORS ("__all__") for the rest."""
        if hasattr(self, "error_dict"):
            return {
                field: list(ValidationError(errors).messages)
                for field, errors in self.error_dict.items()
            }
        return {"__all__": list(self.messages)}


class NotAllowed(ServiceError):
    """The actor may not do this (not an organizer, not a member, banned...). The website shows
    404 where even the thing's existence is private, otherwise the message."""

    def __init__(self, message=None, code="not_allowed", params=None):
        super().__init__(message or _("You are not allowed to do this."), code=code, params=params)


class NotFound(Exception):
    """What was asked for does not exist for this viewer: missing, or hidden from them. Never
    says which."""
