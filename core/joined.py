"""Rows of a related table read in the same query as their parent: a page that shows a parent
with its few children (a role with its repeating shifts, a calendar with its coordinators)
pays one query, not one for the parents and one more for the children.

`joined_fields(Model, "relation", "prefix_")` annotates each concrete field of the related
model through a LEFT JOIN (a row per child, the parent alone with NULLs when it has none);
`joined(row, Model, "prefix_")` builds the child back, with the database's own conversions,
or None on a parent's row without children. Only for children that are few by nature: the
parent's columns repeat on every row.
"""

from __future__ import annotations

from django.db.models import F, Model


def _names(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def joined_fields(model: type[Model], path: str, prefix: str) -> dict:
    """Annotations reading every field of `model` at `path` (a relation of the queryset's
    model) as `<prefix><attname>`."""
    return {f"{prefix}{name}": F(f"{path}__{name}") for name in _names(model)}


def joined(row: Model, model: type[Model], prefix: str) -> Model | None:
    """The `model` instance `joined_fields` read along with `row`; None when the row has
    none (its primary key is NULL)."""
    names = _names(model)
    pk_name = model._meta.pk.attname
    if getattr(row, f"{prefix}{pk_name}") is None:
        return None
    return model.from_db(row._state.db, names, [getattr(row, f"{prefix}{n}") for n in names])
