"""Keyset (cursor) pagination with a stable order: (starts_at, id) for listings, (updated_at,
id) for incremental sync. The cursor is opaque to partners: the last row's sort key, signed so
it cannot be forged into a query of another shape."""

import datetime as dt

from django.core import signing
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

DEFAULT_LIMIT = 50
MAX_LIMIT = 100
_SALT = "partners.api.cursor"


def page_limit(params) -> int:
    """The page size asked for, capped at MAX_LIMIT."""
    raw = params.get("limit")
    if raw in (None, ""):
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise ValidationError({"limit": [_("Give a whole number from 1 to 100.")]}) from None
    if limit < 1:
        raise ValidationError({"limit": [_("Give a whole number from 1 to 100.")]})
    return min(limit, MAX_LIMIT)


def encode_cursor(field: str, value: dt.datetime, pk: int) -> str:
    return signing.dumps([field, value.isoformat(), pk], salt=_SALT, compress=True)


def decode_cursor(cursor: str, field: str) -> tuple[dt.datetime, int]:
    try:
        cursor_field, value, pk = signing.loads(cursor, salt=_SALT)
        if cursor_field != field:
            raise ValueError
        return dt.datetime.fromisoformat(value), int(pk)
    except (signing.BadSignature, ValueError, TypeError):
        raise ValidationError({"cursor": [_("This cursor is not valid for this list.")]}) from None


def paginate(queryset, *, params, field: str, rows=list) -> tuple[list, str | None, int]:
    """One page of `queryset` in (field, id) order: the rows (`rows` turns the sliced queryset
    into them: model instances, or dicts such as partners.selectors.event_rows gives), the next
    cursor (None on the last page) and the page size used."""
    limit = page_limit(params)
    queryset = queryset.order_by(field, "pk")
    cursor = params.get("cursor")
    if cursor:
        value, pk = decode_cursor(cursor, field)
        queryset = queryset.filter(Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk}))
    return page_of(rows(queryset[: limit + 1]), limit=limit, field=field)


def page_of(fetched: list, *, limit: int, field: str) -> tuple[list, str | None, int]:
    """`fetched` (up to limit + 1 rows in (field, id) order) as paginate answers: the page, the
    next cursor (None on the last page) and the page size."""
    page = fetched
    next_cursor = None
    if len(page) > limit:
        page = page[:limit]
        last = page[-1]
        if isinstance(last, dict):
            next_cursor = encode_cursor(field, last[field], last["id"])
        else:
            next_cursor = encode_cursor(field, getattr(last, field), last.pk)
    return page, next_cursor, limit
