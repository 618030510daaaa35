"""The one way services write the activity log (core.models.Activity)."""

from __future__ import annotations

from django.db import models, transaction

from core import bus
from core.actors import Actor, as_actor
from core.models import Activity
from core.refs import ref

ACTIVITY_RECORDED = "activity.recorded"


def record(
    *,
    actor,
    verb: str,
    subject: models.Model | str,
    group_id: int | None = None,
    data: dict | None = None,
) -> Activity:
    """Write one activity row inside the caller's transaction (it commits or rolls back with
    the change it describes). `data` holds ids and plain values of what changed, never names or
    addresses."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("activity is recorded inside the service's transaction")
    actor = as_actor(actor)
    if actor is None:
        raise ValueError("every recorded change has an actor")
    row = Activity.objects.create(
        actor_kind=actor.kind,
        actor_user=actor.user if actor.kind == Actor.PERSON else None,
        actor_client_id=actor.client_id if actor.kind == Actor.CLIENT else None,
        actor_reason=actor.reason if actor.kind == Actor.SYSTEM else "",
        verb=verb,
        subject=subject if isinstance(subject, str) else ref(subject),
        group_id=group_id,
        data=data or {},
    )
    # Announced in the same transaction: what listens (the partners' webhooks) is built from
    # the row and commits or rolls back with it.
    bus.publish(ACTIVITY_RECORDED, activity=row)
    return row


def changes(before: dict, after: dict, *, withheld=frozenset()) -> dict:
    """{"field": [old, new]} for the fields that changed, as JSON-friendly values; a field in
    `withheld` (where people meet, say) is named as changed with its values left out (None)."""
    return {
        name: None if name in withheld else [_plain(before.get(name)), _plain(after.get(name))]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _plain(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return sorted(_plain(item) for item in value)
    return str(value)


def anonymize_actor(user) -> int:
    """An account being deleted: its rows keep what happened, no longer who did it."""
    return Activity.objects.filter(actor_user=user).update(actor_user=None)


def for_group(group_id: int):
    """A group's history, newest first."""
    return Activity.objects.filter(group_id=group_id).select_related("actor_user")
