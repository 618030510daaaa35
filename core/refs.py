"""References to rows of any app as short strings, "events.event:42", built and read in one
place: the outbox's subject and dedupe keys and the activity log's subject use them, so no app
parses another's format by hand."""

from __future__ import annotations

import re

from django.db import models
from django.db.models import BigIntegerField, Case, F, Value, When
from django.db.models.functions import Cast, Substr
from django.db.models.lookups import Regex


def ref(obj: models.Model) -> str:
    """`app_label.model:pk` of a saved row."""
    if obj.pk is None:
        raise ValueError("an unsaved row has no reference")
    return f"{obj._meta.label_lower}:{obj.pk}"


def ref_for(model: type[models.Model] | str, pk: int) -> str:
    """The reference of a row known by model (class or "app_label.model") and primary key."""
    label = model if isinstance(model, str) else model._meta.label_lower
    return f"{label}:{int(pk)}"


def parse_ref(value: str) -> tuple[str, int] | None:
    """("app_label.model", pk) from a reference, or None when it is not one."""
    label, sep, pk = (value or "").partition(":")
    if not sep or "." not in label or not pk.isdigit():
        return None
    return label, int(pk)


def ref_pk(value: str, model: type[models.Model] | str) -> int | None:
    """The primary key in a reference when it names `model`, else None."""
    parsed = parse_ref(value)
    label = model if isinstance(model, str) else model._meta.label_lower
    if parsed is None or parsed[0] != label:
        return None
    return parsed[1]


def dedupe_key(*parts) -> str:
    """A dedupe key from its parts, joined the one way: "reminder:events.event:42:7:86400".
    A model instance stands for its reference."""
    return ":".join(ref(part) if isinstance(part, models.Model) else str(part) for part in parts)


def ref_pk_sql(column: str | F, model: type[models.Model] | str) -> models.Expression:
    """`ref_pk` in SQL: the primary key in the reference held by `column` (a field name, or an
    `OuterRef` inside a subquery) when it names `model`, else NULL. The cast only runs on
    references of that model, so another app's subject never breaks it (a CASE evaluates its
    branches in order on PostgreSQL as on SQLite)."""
    label = model if isinstance(model, str) else model._meta.label_lower
    prefix = f"{label}:"
    source = column if isinstance(column, F) else F(column)
    return Case(
        When(
            Regex(source, Value(rf"^{re.escape(prefix)}[0-9]{{1,18}}$")),
            then=Cast(Substr(source, len(prefix) + 1), BigIntegerField()),
        ),
        default=Value(None),
        output_field=BigIntegerField(),
    )
