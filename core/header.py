"""Counts every page's header shows a signed-in person (unread notices, requests waiting in
the groups they run...), asked of the database in one query per page.

Apps register a count in their AppConfig.ready(): `register(name, expression)`, where
`expression(user)` returns a query expression giving an integer (a scalar subquery, say). The
first template that reads a count runs one SELECT with every registered count, and the request
keeps the answer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import Expression, Func, IntegerField, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

_counts: dict[str, Callable[[object], Expression]] = {}
_ATTR = "_connect_header_counts"


def register(name: str, expression: Callable[[object], Expression]) -> None:
    _counts[name] = expression


def count_of(queryset: QuerySet) -> Expression:
    """How many rows `queryset` has, as a scalar subquery (0 when none)."""
    counted = queryset.order_by().annotate(
        _n=Func(Value(1), function="COUNT", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("_n")[:1]), 0)


def counts(request) -> dict[str, int]:
    """Every registered count for the signed-in user of `request`, in one query."""
    cached = getattr(request, _ATTR, None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not _counts:
        cached = dict.fromkeys(_counts, 0)
    else:
        row = (
            get_user_model()
            .objects.filter(pk=user.pk)
            .values(**{name: expression(user) for name, expression in _counts.items()})
            .first()
        )
        cached = row or dict.fromkeys(_counts, 0)
    setattr(request, _ATTR, cached)
    return cached
