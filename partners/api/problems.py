"""Every error of the API as RFC 9457 application/problem+json, through one exception handler.

Service errors keep their per-field messages (core.exceptions.ServiceError.field_errors, the one
mapping the website also uses); anything hidden is a plain 404 that names nothing."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import NotAllowed, NotFound, ServiceError

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://connect.example/problems/"

_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Request body too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
}


def problem(status_code: int, detail: str, *, errors: dict | None = None, kind: str = "") -> dict:
    body = {
        "type": TYPE_BASE + kind if kind else "about:blank",
        "title": _TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": str(detail),
    }
    if errors:
        body["errors"] = errors
    return body


def _flatten(detail) -> dict[str, list[str]]:
    """DRF's error detail as {"field": ["message", ...]}; nested errors as "field.sub"."""
    if isinstance(detail, dict):
        flat = {}
        for name, value in detail.items():
            key = "__all__" if name == "non_field_errors" else str(name)
            if isinstance(value, dict):
                for sub, messages in _flatten(value).items():
                    flat[f"{key}.{sub}"] = messages
            else:
                flat[key] = [str(m) for m in (value if isinstance(value, list) else [value])]
        return flat
    return {"__all__": [str(m) for m in (detail if isinstance(detail, list) else [detail])]}


def exception_handler(exc, context):
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]."""
    if isinstance(exc, NotFound | Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, NotAllowed):
        body = problem(403, exc.messages[0], kind="not-allowed")
        return _response(body)
    if isinstance(exc, ServiceError):
        body = problem(
            422,
            _("The request breaks a rule; see errors."),
            errors=exc.field_errors(),
            kind="rule-broken",
        )
        return _response(body)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            400,
            _("The request is not valid; see errors."),
            errors=_flatten(exc.detail),
            kind="invalid",
        )
    else:
        detail = exc.detail if isinstance(exc.detail, str) else _("Request refused.")
        body = problem(response.status_code, detail)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _response(body: dict) -> Response:
    return Response(body, status=body["status"], content_type=PROBLEM_CONTENT_TYPE)


def problem_response(status_code: int, detail: str, **kwargs) -> JsonResponse:
    """A problem outside DRF's views (unknown API paths)."""
    return JsonResponse(
        problem(status_code, detail, **kwargs),
        status=status_code,
        content_type=PROBLEM_CONTENT_TYPE,
    )


__all__ = ["PROBLEM_CONTENT_TYPE", "exception_handler", "problem", "problem_response", "status"]
