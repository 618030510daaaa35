"""Counts every page's header shows a signed-in person (unread notices, requests waiting in
the groups they run...), asked of the database in one query per page.

Apps register a count in their AppConfig.ready(): `register(name, expression)`, where
`expression(user)` returns a query expression giving an integer (a scalar subquery, say). The
first template that reads a count runs one SELECT with every registered count, and the request
keeps the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import Expression, Func, IntegerField, QuerySet, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from core import compiled, moderation

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


# Two account ids no row has: a count is compiled for both, and only where the two differ is
# the reader's id put in.
_STAND_INS = (-7_300_001, -7_300_002)
_compiled: dict[tuple, tuple[str, tuple, tuple[int, ...]] | None] = {}


def _stand_in(n: int):
    """An unsaved account whose every field differs from the other stand-in's, so that a query
    reading any of them (not only the id) compiles differently for the two."""
    user = get_user_model()(pk=_STAND_INS[n])
    for field in user._meta.concrete_fields:
        if field.primary_key:
            continue
        kind = field.get_internal_type()
        if kind in ("CharField", "TextField", "EmailField", "SlugField"):
            value = f"stand-in-{n}-{field.name}"
        elif kind == "BooleanField":
            value = n == 0
        elif kind in ("IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField"):
            value = 7_300_000 + n
        elif kind == "FloatField":
            value = n + 0.5
        elif kind == "DateTimeField":
            value = dt.datetime(2001 + n, 1, 1, tzinfo=dt.UTC)
        elif kind == "DateField":
            value = dt.date(2001 + n, 1, 1)
        else:
            continue
        setattr(user, field.attname, value)
    # A stand-in that is a superuser has no moderation session to look up.
    return moderation.assume_no_session(user)


def _moderating(user) -> bool:
    """A superuser in a moderation session sees more than any account the compiled SQL stood
    for (the stand-ins have no session): their counts are built for them each time."""
    return bool(getattr(user, "is_superuser", False)) and moderation.is_site_moderator(user)


def _counted_sql(build: Callable[[object], QuerySet], n: int, using: str):
    user = _stand_in(n)
    counted = (
        build(user)
        .order_by()
        .annotate(_n=Func(Value(1), function="COUNT", output_field=IntegerField()))
        .values("_n")[:1]
    )
    return counted.query.get_compiler(connection=connections[using]).as_sql()


def compiled_count_of(
    build: Callable[[object], QuerySet], user, *, key: tuple, using: str = "default"
) -> Expression:
    """count_of(build(user)), with the query built and compiled once per process (and `key`,
    which names everything besides the user the query depends on): building a query with many
    parts (the inbox's visibility rule per kind of notice) costs tens of milliseconds a page,
    its SQL a fraction of one. The SQL is compiled for two stand-in accounts; it is reused only
    when the two agree but for those ids, so a query that depends on more of the user than its
    id falls back to being built each time."""
    if _moderating(user):
        return count_of(build(user))
    cache_key = (connections[using].vendor, *key)
    if cache_key not in _compiled:
        (sql_a, params_a), (sql_b, params_b) = (_counted_sql(build, n, using) for n in (0, 1))
        same_shape = sql_a == sql_b and len(params_a) == len(params_b)
        at = tuple(i for i, (a, b) in enumerate(zip(params_a, params_b, strict=False)) if a != b)
        if same_shape and all((params_a[i], params_b[i]) == _STAND_INS for i in at) and at:
            _compiled[cache_key] = (sql_a, tuple(params_a), at)
        else:
            _compiled[cache_key] = None
    found = _compiled[cache_key]
    if found is None:
        return count_of(build(user))
    sql, params, at = found
    params = tuple(user.pk if i in at else value for i, value in enumerate(params))
    # SQL Django compiled from a queryset; every value stays a parameter.
    return RawSQL(f"COALESCE(({sql}), 0)", params, output_field=IntegerField())  # noqa: S611


def _query_for(user) -> QuerySet:
    """The one SELECT: every registered count for `user`, one column each."""
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .values(**{name: expression(user) for name, expression in _counts.items()})
        .order_by()[:1]
    )


# The header's query, compiled once per process and database (see _compile_whole), or None
# when it reads more of the reader than the id.
_whole: dict[tuple, tuple[str, tuple, frozenset[int]] | None] = {}


def _compile_whole(using: str) -> tuple[str, tuple, frozenset[int]] | None:
    """The header query's SQL, compiled for both stand-ins and kept only when the two differ in
    nothing but their ids: (SQL, its parameters, where the reader's id goes among them). On
    PostgreSQL every other value is written into the SQL as a literal (quoted by the database
    adapter) and the id becomes `%(reader)s`, the statement's one parameter, so that it can be
    prepared: planning its many subqueries costs several times what running them does."""
    connection = connections[using]
    (sql_a, params_a), (sql_b, params_b) = (
        _query_for(_stand_in(n)).query.get_compiler(connection=connection).as_sql() for n in (0, 1)
    )
    if sql_a != sql_b or len(params_a) != len(params_b):
        return None
    at = frozenset(i for i, (a, b) in enumerate(zip(params_a, params_b, strict=True)) if a != b)
    if not at or any((params_a[i], params_b[i]) != _STAND_INS for i in at):
        return None
    if connection.vendor != "postgresql":
        return sql_a, tuple(params_a), at
    return compiled.literal_sql(connection, sql_a, params_a, at, "%(reader)s"), (), at


def _run_whole(user, using: str) -> dict[str, int] | None:
    """The counts' row for `user` (None when the account is gone), from the SQL compiled once
    per process when it can be."""
    connection = connections[using]
    key = (connection.vendor, tuple(_counts))
    if key not in _whole:
        _whole[key] = _compile_whole(using)
    found = _whole[key]
    if found is None:
        return next(iter(_query_for(user)), None)
    sql, params, at = found
    if connection.vendor == "postgresql":
        from psycopg import Cursor
        from psycopg.types.numeric import Int8

        # Bound on the server (Django's own cursors bind on the client, so nothing they run is
        # ever prepared): psycopg prepares a statement it has run a few times on a connection,
        # and PostgreSQL then keeps one plan for every reader.
        connection.ensure_connection()
        wrapper = CursorDebugWrapper if connection.queries_logged else CursorWrapper
        cursor = wrapper(Cursor(connection.connection), connection)
        arguments = {"reader": Int8(user.pk)}
    else:
        cursor = connection.cursor()
        arguments = tuple(user.pk if i in at else value for i, value in enumerate(params))
    with cursor:
        cursor.execute(sql, arguments)
        row = cursor.fetchone()
        names = [column[0] for column in cursor.description]
    return dict(zip(names, row, strict=True)) if row else None


def counts(request) -> dict[str, int]:
    """Every registered count for the signed-in user of `request`, in one query."""
    cached = getattr(request, _ATTR, None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not _counts:
        cached = dict.fromkeys(_counts, 0)
    elif _moderating(user):
        cached = next(iter(_query_for(user)), None) or dict.fromkeys(_counts, 0)
    else:
        cached = _run_whole(user, "default") or dict.fromkeys(_counts, 0)
    setattr(request, _ATTR, cached)
    return cached
