"""The website's half of the errors services and selectors raise (core.exceptions): one way to
show a ServiceError on a form or as messages, and one place that turns NotFound into a 404."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404

from core.exceptions import NotFound, ServiceError


def add_service_error(form, error: ServiceError) -> None:
    """Put the error's messages on the form: on their field when the form has it, else at the
    top (a rule about a field the form does not show is still a rule the person broke)."""
    for field, messages_ in error.field_errors().items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


def message_service_error(request, error: ServiceError) -> None:
    """Show the error's messages at the top of the next page."""
    for messages_ in error.field_errors().values():
        for message in messages_:
            messages.error(request, message)


class NotFoundMiddleware:
    """A selector's NotFound, raised anywhere in a view, is the website's 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404 from exception
        return None


def limit_methods(patterns: list, methods=("GET", "HEAD", "POST")) -> list:
    """Wrap every view of a third-party URL list (allauth's) so it answers 405 to any other
    method, as the project's own views do."""
    from django.urls import URLResolver
    from django.views.decorators.http import require_http_methods

    decorator = require_http_methods(list(methods))
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            limit_methods(pattern.url_patterns, methods)
        elif not getattr(pattern.callback, "_methods_limited", False):
            pattern.callback = decorator(pattern.callback)
            pattern.callback._methods_limited = True
    return patterns
