"""Seats on anything with a capacity (event seats, volunteer shift places).

A row holds `capacity` (NULL = unlimited) and `seats_taken`. Seats are taken with one
conditional UPDATE, so two requests can never both take the last seat, on SQLite and on
PostgreSQL alike; a CheckConstraint on the model is the last line of defence.
"""

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
