"""Seats on anything with a capacity (event seats, volunteer shift places).

A row holds `capacity` (NULL = unlimited) and `seats_taken`. Seats are taken with one
conditional UPDATE, so two requests can never both take the last seat, on SQLite and on
PostgreSQL alike; a CheckConstraint on the model is the last line of defence.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.db.models import F, Q


def capacity_constraints(prefix: str) -> list[models.BaseConstraint]:
    """The constraints every model with seats carries."""
    return [
        models.CheckConstraint(
            condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
            name=f"{prefix}_seats_within_capacity",
        ),
        models.CheckConstraint(
            condition=Q(seats_taken__gte=0), name=f"{prefix}_seats_not_negative"
        ),
    ]


def seats_take(*, model: type[models.Model], pk: int, seats: int) -> bool:
    """Take `seats` seats on the row if they fit; True when taken. Call inside a transaction."""
    if seats <= 0:
        return True
    fits = Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity") - seats)
    updated = (
        model._default_manager.filter(pk=pk)
        .filter(fits)
        .update(seats_taken=F("seats_taken") + seats)
    )
    return updated == 1


def seats_release(*, model: type[models.Model], pk: int, seats: int) -> None:
    """Give `seats` seats back. Call inside a transaction."""
    if seats <= 0:
        return
    model._default_manager.filter(pk=pk).update(seats_taken=F("seats_taken") - seats)


def promote_in_arrival_order(
    *,
    holder: models.Model,
    waiting: Iterable,
    seats_of: Callable[[Any], int],
    promote: Callable[[Any], None],
) -> list:
    """The waitlist-filling step events and shifts share: give the free seats of `holder` (a
    row with `capacity` and `seats_taken`, locked by the caller) to `waiting` rows in the order
    given (arrival order), skipping one that does not fit while a smaller one behind it may.
    `promote(row)` saves the row as taken and tells its owner. Returns the promoted rows."""
    holder.refresh_from_db(fields=["capacity", "seats_taken"])
    promoted = []
    for row in waiting:
        left = None if holder.capacity is None else max(holder.capacity - holder.seats_taken, 0)
        if left == 0:
            break
        seats = seats_of(row)
        if left is not None and seats > left:
            continue
        if not seats_take(model=type(holder), pk=holder.pk, seats=seats):
            continue
        holder.seats_taken += seats
        promote(row)
        promoted.append(row)
    return promoted
