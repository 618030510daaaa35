"""Queries built and compiled once per process, then run with each request's values bound.

Building a queryset with many parts (visibility rules, annotations, joins) and compiling it to
SQL can cost more than running it. For a query whose shape never changes (only the values it
compares with do: an id, a prefix, "now", a list of ids of a given length), `rows` builds it
twice with two sets of stand-in values, keeps the SQL when the two agree but for the stand-ins'
parameters, and from then on only binds the real values into those places. Anything that does
not fit (the SQL differs, a parameter changed that is not a stand-in, a stand-in shows up where
none was expected) is built and run the ordinary way every time, so a wrong guess costs speed,
never correctness.

`rows` gives a `.values()` queryset's dicts; `instances` gives a model queryset's instances,
with what it selects related, its annotations and its prefetched lookups (named by strings).

With `generic_plan=True`, on PostgreSQL, the statement is also planned once per connection: the
values that never change are written into the SQL as literals (quoted by the database adapter,
so the planner sees them as it would in the ordinary query), the args' places become the
statement's parameters, and psycopg prepares it on the server (from its `prepare_threshold`-th
run on the connection on). Each connection asks for `plan_cache_mode = force_generic_plan` when
it opens (DATABASE_GENERIC_PLANS, connect_site.settings): PostgreSQL otherwise plans such a
statement anew at each run (its "custom plans"), which for a query with many joins and
subqueries costs more than running it. Django's own queries are bound on the client and never
prepared, so they plan as before. Where the project turns prepared statements off
(DATABASE_PREPARED_STATEMENTS=false, for a pooler that cannot keep them), the query runs the
ordinary way. Its times are read by psycopg's own timestamptz loader (in C) rather than the
Python one Django registers: the same aware UTC values at a tenth of the cost, which counts in a
page of fifty rows with six times each.

`build(**args)` must depend on nothing but its args (and on what `key` names): no clock, no
setting, no per-user state read inside it. Its args reach the query only as values compared in
SQL. The args may be ints, strings, aware datetimes, or tuples of ints (an `IN` list: its
length is part of the shape).
"""

import datetime as dt
import itertools
import re
import threading
import weakref
from collections.abc import Callable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.backends.utils import CursorDebugWrapper, CursorWrapper
from django.db.models import QuerySet, prefetch_related_objects
from django.db.models.query import get_related_populators

_compiled: "weakref.WeakKeyDictionary[object, dict]" = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_FALLBACK = object()
# Queries kept per connection, the oldest made first making way: a key may carry what a request
# asks for (the member event list's page position and size), so what is kept must not grow with
# what is asked.
KEPT_PER_CONNECTION = 256
_PLACEHOLDER = re.compile(r"%%|%s")


class _Slot:
    """One stand-in value in the query, and how a real value is passed to the database."""

    def __init__(self, name: str, index: int | None, kind: type):
        self.name, self.index, self.kind = name, index, kind

    def value(self, args: dict):
        value = args[self.name]
        return value if self.index is None else value[self.index]


def _stand_ins(args: dict, variant: int) -> tuple[dict, list[tuple[_Slot, object]]]:
    """Stand-in args (variant 0 or 1) of the same shape as `args`, and each slot's value."""
    counter = itertools.count()
    values, slots = {}, []

    def stand_in(name, index, value):
        n = next(counter)
        if isinstance(value, bool):
            raise TypeError(name)
        if isinstance(value, int):
            made = 1_987_000_000 + 2 * n + variant
        elif isinstance(value, str):
            made = f"\x1fstand-in-{n}-{variant}"
        elif isinstance(value, dt.datetime) and value.tzinfo is not None:
            made = dt.datetime(1901 + variant, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=n)
        else:
            raise TypeError(name)
        slots.append((_Slot(name, index, type(made)), made))
        return made

    for name, value in args.items():
        if isinstance(value, tuple):
            values[name] = tuple(stand_in(name, i, item) for i, item in enumerate(value))
        else:
            values[name] = stand_in(name, None, value)
    return values, slots


def _adapt(connection, value):
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    return value


def _shape(value):
    if isinstance(value, tuple):
        return ("tuple", len(value))
    if isinstance(value, dt.datetime):
        return ("datetime", value.tzinfo is not None)
    return type(value).__name__


def _compile(build, args: dict, using: str, *, models: bool = False):
    connection = connections[using]
    compiled = []
    for variant in (0, 1):
        try:
            stand_in_args, slots = _stand_ins(args, variant)
        except TypeError:
            return _FALLBACK  # a kind of value without stand-ins
        queryset = build(**stand_in_args)
        compiler = queryset.query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # no SQL to keep: Django answers without the database
            return _FALLBACK
        compiled.append((queryset, compiler, sql, tuple(params), slots))
    (queryset, compiler, sql_a, params_a, slots_a), (_q, _c, sql_b, params_b, slots_b) = compiled
    if sql_a != sql_b or len(params_a) != len(params_b):
        return _FALLBACK
    where_a = {_adapt(connection, made): slot for slot, made in slots_a}
    where_b = {_adapt(connection, made): slot for slot, made in slots_b}
    if len(where_a) != len(slots_a) or len(where_b) != len(slots_b):
        return _FALLBACK
    places = []
    for i, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
        if a == b:
            continue
        try:
            slot_a, slot_b = where_a.get(a), where_b.get(b)
        except TypeError:  # an unhashable parameter that changed: not one of ours
            return _FALLBACK
        if (
            slot_a is None
            or slot_b is None
            or (slot_a.name, slot_a.index)
            != (
                slot_b.name,
                slot_b.index,
            )
        ):
            return _FALLBACK  # something else in the query changed between two builds
        places.append((i, slot_a))
    if models:
        return _for_models(queryset, compiler, sql_a, params_a, tuple(places), using)
    query = queryset.query
    if query.selected:
        names = list(query.selected)
    else:
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
    fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
    if compiler.has_composite_fields(fields) or len(names) != len(fields):
        return _FALLBACK
    converters = list(compiler.get_converters(fields).items())
    return sql_a, params_a, tuple(places), names, converters


def _for_models(queryset, compiler, sql, params, places, using):
    """What `instances` keeps of a compiled model queryset: its SQL and where the values go,
    the compiler (which knows each column's converters and which model each column fills), and
    how rows become instances, as Django's ModelIterable makes them."""
    from django.db.models.query import ModelIterable

    lookups = queryset._prefetch_related_lookups
    if (
        queryset._iterable_class is not ModelIterable
        or queryset._known_related_objects
        or not all(isinstance(lookup, str) for lookup in lookups)
    ):
        return _FALLBACK
    select, klass_info = compiler.select, compiler.klass_info
    fields = [s[0] for s in select[0 : compiler.col_count]]
    if klass_info is None or compiler.has_composite_fields(fields):
        return _FALLBACK
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, using)
    annotations = tuple(compiler.annotation_col_map.items())
    making = (klass_info["model"], start, end, init_list, populators, annotations, lookups)
    return sql, params, places, compiler, making


def _cache_key(connection, key: tuple, args: dict) -> tuple:
    return (connection.vendor, *key, *((name, _shape(v)) for name, v in args.items()))


def _found(build, key: tuple, args: dict, using: str, *, models: bool):
    connection = connections[using]
    cache_key = _cache_key(connection, key, args)
    if models:
        cache_key += ("instances",)
    with _lock:
        per_connection = _compiled.setdefault(connection, {})
    found = per_connection.get(cache_key)
    if found is None:
        found = _keep(per_connection, cache_key, _compile(build, args, using, models=models))
    return found


def _keep(per_connection: dict, cache_key: tuple, value):
    """`value` kept under `cache_key`, the oldest kept making way beyond KEPT_PER_CONNECTION (a
    connection is used by one thread at a time)."""
    per_connection[cache_key] = value
    while len(per_connection) > KEPT_PER_CONNECTION:
        del per_connection[next(iter(per_connection))]
    return value


def _fetch(using: str, sql: str, params: tuple, places: tuple, args: dict) -> list:
    connection = connections[using]
    bound = list(params)
    for i, slot in places:
        bound[i] = _adapt(connection, slot.value(args))
    with connection.cursor() as cursor:
        cursor.execute(sql, bound)
        return cursor.fetchall()


def instances(
    build: Callable[..., QuerySet],
    *,
    key: tuple,
    args: dict,
    using: str = "default",
    generic_plan: bool = False,
):
    """The instances of `build(**args)` (a queryset of a model's rows) as iterating it would
    give them: with what it selects related, its annotations, and its prefetch_related lookups
    done (one more query each, as for the queryset); with `generic_plan`, planned once per
    connection on PostgreSQL (see the module's docstring)."""
    found = _found(build, key, args, using, models=True)
    if found is _FALLBACK:
        return list(build(**args))
    sql, params, places, compiler, making = found
    model, start, end, init_list, populators, annotations, lookups = making
    fetched = _run(using, (*key, "instances"), args, sql, params, places, generic_plan)
    result = []
    for row in compiler.results_iter(results=[fetched]):
        obj = model.from_db(using, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        for name, position in annotations:
            setattr(obj, name, row[position])
        result.append(obj)
    if lookups and result:
        prefetch_related_objects(result, *lookups)
    return result


def literal_sql(
    connection, sql: str, params, keep: frozenset[int] | set[int], placeholder: str = "%s"
) -> str:
    """`sql` with every parameter not at a position in `keep` written in as a literal (quoted by
    the database adapter, so the planner sees it as in the ordinary query), and those in `keep`
    left as `placeholder`: the statement's own parameters, in order."""
    positions = iter(range(len(params)))

    def fill(match) -> str:
        if match.group() == "%%":
            return "%%"
        i = next(positions)
        if i in keep:
            return placeholder
        return connection.ops.compose_sql("%s", [params[i]]).replace("%", "%%")

    return _PLACEHOLDER.sub(fill, sql)


def _prepares(connection) -> bool:
    """Whether statements may be prepared on this (PostgreSQL) connection: psycopg's
    prepare_threshold, None when the project turned prepared statements off."""
    connection.ensure_connection()
    return connection.connection.prepare_threshold is not None


def _fetch_generic(connection, sql: str, values: list) -> list:
    """Run `sql` with `values` bound on the server, a statement psycopg prepares once it has run
    a few times on the connection (see the module's docstring)."""
    from psycopg import Cursor
    from psycopg.types.datetime import TimestamptzLoader
    from psycopg.types.numeric import Int8

    values = [Int8(v) if type(v) is int else v for v in values]  # one statement for any id
    reading = Cursor(connection.connection)
    # psycopg's own timestamptz loader (its C one), not the Python subclass Django registers.
    reading.adapters.register_loader("timestamptz", TimestamptzLoader)
    wrapper = CursorDebugWrapper if connection.queries_logged else CursorWrapper
    with wrapper(reading, connection) as cursor:
        cursor.execute(sql, values)
        return cursor.fetchall()


def _run(using: str, key: tuple, args: dict, sql, params, places, generic_plan: bool) -> list:
    """The fetched rows of a compiled statement with `args` bound: planned once per connection
    where `generic_plan` asks for it and the connection allows it, else the ordinary way."""
    connection = connections[using]
    if not (generic_plan and connection.vendor == "postgresql" and _prepares(connection)):
        return _fetch(using, sql, params, places, args)
    server_key = (*_cache_key(connection, key, args), "generic plan")
    per_connection = _compiled[connection]
    server_sql = per_connection.get(server_key)
    if server_sql is None:
        at = {i for i, _slot in places}
        server_sql = _keep(per_connection, server_key, literal_sql(connection, sql, params, at))
    values = [_adapt(connection, slot.value(args)) for _i, slot in places]
    return _fetch_generic(connection, server_sql, values)


def rows(
    build: Callable[..., QuerySet],
    *,
    key: tuple,
    args: dict,
    using: str = "default",
    generic_plan: bool = False,
):
    """The rows of `build(**args)` (a `.values()` queryset) as the dicts it would give; with
    `generic_plan`, planned once per connection on PostgreSQL (see the module's docstring)."""
    connection = connections[using]
    found = _found(build, key, args, using, models=False)
    if found is _FALLBACK:
        return list(build(**args))
    sql, params, places, names, converters = found
    fetched = _run(using, key, args, sql, params, places, generic_plan)
    result = []
    for row in fetched:
        if converters:
            row = list(row)
            for pos, (functions, expression) in converters:
                value = row[pos]
                for function in functions:
                    value = function(value, expression, connection)
                row[pos] = value
        result.append(dict(zip(names, row, strict=True)))
    return result
