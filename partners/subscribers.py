"""What the partners app hears from the events app: events that went away become tombstones,
so a partner syncing with `updated_since` sees them go."""

from core import bus
from events.models import Event
from groups.models import Group
from partners.models import PartnerGroup, Tombstone


def _owner(group_id: int) -> int | None:
    return (
        PartnerGroup.objects.filter(group_id=group_id)
        .values_list("organization_id", flat=True)
        .first()
    )


def _tombstone(event, reason: str) -> None:
    Tombstone.objects.get_or_create(
        event_id=event.pk,
        reason=reason,
        defaults={
            "group_id": event.group_id,
            "organization_id": _owner(event.group_id),
            "was_public": Group.objects.filter(
                pk=event.group_id, visibility=Group.Visibility.PUBLIC
            ).exists(),
        },
    )


def on_event_cancelled(*, event, **_payload) -> None:
    _tombstone(event, Tombstone.Reason.CANCELLED)


def on_event_deleted(*, event, **_payload) -> None:
    _tombstone(event, Tombstone.Reason.DELETED)


def on_group_deleting(*, group, **_payload) -> None:
    """A closing group's events are deleted with it (after the events app cancelled the coming
    ones): each becomes a tombstone."""
    is_public = group.visibility == Group.Visibility.PUBLIC
    owner = _owner(group.pk)
    Tombstone.objects.bulk_create(
        [
            Tombstone(
                event_id=pk,
                group_id=group.pk,
                organization_id=owner,
                was_public=is_public,
                reason=Tombstone.Reason.DELETED,
            )
            for pk in Event.objects.filter(group=group).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )


def on_group_updated(*, group, changed_fields, **_payload) -> None:
    """A public group that became private or unlisted takes its events out of every other
    partner's view: they become tombstones ("hidden") for those partners' mirrors."""
    if "visibility" not in changed_fields or group.visibility == Group.Visibility.PUBLIC:
        return
    Tombstone.objects.bulk_create(
        [
            Tombstone(
                event_id=pk,
                group_id=group.pk,
                organization_id=_owner(group.pk),
                was_public=True,
                reason=Tombstone.Reason.HIDDEN,
            )
            for pk in Event.objects.filter(group=group).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    # Made public again later, the events must come back to a mirror syncing by updated_since.


def connect() -> None:
    bus.subscribe("event.cancelled", on_event_cancelled)
    bus.subscribe("event.deleted", on_event_deleted)
    bus.subscribe("group.deleting", on_group_deleting)
    bus.subscribe("group.updated", on_group_updated)
    from partners import webhooks

    for topic in webhooks.CATALOGUE:
        bus.subscribe(topic, webhooks.on_event_changed)
