"""What the partners app hears from the domain apps: events, volunteer projects and shifts that
went away become tombstones, so a partner syncing with `updated_since` sees them go; and the
changes its webhooks announce (partners.webhooks)."""

from core import bus
from events.models import Event
from groups.models import Group
from partners.models import PartnerGroup, Tombstone
from volunteering.models import Shift, VolunteerProject

Kind = Tombstone.Kind


def _owner(group_id: int) -> int | None:
    return (
        PartnerGroup.objects.filter(group_id=group_id)
        .values_list("organization_id", flat=True)
        .first()
    )


def _tombstone(kind: str, pk: int, group_id: int, reason: str) -> None:
    Tombstone.objects.get_or_create(
        kind=kind,
        object_id=pk,
        reason=reason,
        defaults={
            "group_id": group_id,
            "organization_id": _owner(group_id),
            "was_public": Group.objects.filter(
                pk=group_id, visibility=Group.Visibility.PUBLIC
            ).exists(),
        },
    )


def on_event_cancelled(*, event, **_payload) -> None:
    _tombstone(Kind.EVENT, event.pk, event.group_id, Tombstone.Reason.CANCELLED)


def on_event_deleted(*, event, **_payload) -> None:
    _tombstone(Kind.EVENT, event.pk, event.group_id, Tombstone.Reason.DELETED)


def on_project_cancelled(*, project, **_payload) -> None:
    _tombstone(Kind.PROJECT, project.pk, project.group_id, Tombstone.Reason.CANCELLED)


def on_shift_cancelled(*, shift, **_payload) -> None:
    group_id = VolunteerProject.objects.filter(roles__shifts=shift).values_list(
        "group_id", flat=True
    )[0]
    _tombstone(Kind.SHIFT, shift.pk, group_id, Tombstone.Reason.CANCELLED)


def _group_objects(group: Group) -> list[tuple[str, int]]:
    """(kind, id) of every event, project and shift of the group."""
    return [
        *(
            (Kind.EVENT, pk)
            for pk in Event.objects.filter(group=group).values_list("pk", flat=True)
        ),
        *(
            (Kind.PROJECT, pk)
            for pk in VolunteerProject.objects.filter(group=group).values_list("pk", flat=True)
        ),
        *(
            (Kind.SHIFT, pk)
            for pk in Shift.objects.filter(role__project__group=group).values_list("pk", flat=True)
        ),
    ]


def _bulk(group: Group, *, reason: str, was_public: bool) -> None:
    owner = _owner(group.pk)
    Tombstone.objects.bulk_create(
        [
            Tombstone(
                kind=kind,
                object_id=pk,
                group_id=group.pk,
                organization_id=owner,
                was_public=was_public,
                reason=reason,
            )
            for kind, pk in _group_objects(group)
        ],
        ignore_conflicts=True,
    )


def on_group_deleting(*, group, **_payload) -> None:
    """A closing group's events, projects and shifts are deleted with it (after the domain apps
    cancelled the coming ones): each becomes a tombstone."""
    _bulk(
        group,
        reason=Tombstone.Reason.DELETED,
        was_public=group.visibility == Group.Visibility.PUBLIC,
    )


def on_group_updated(*, group, changed_fields, **_payload) -> None:
    """A public group that became private or unlisted takes its events, projects and shifts out
    of every other partner's view: they become tombstones ("hidden") for those partners'
    mirrors."""
    if "visibility" not in changed_fields or group.visibility == Group.Visibility.PUBLIC:
        return
    _bulk(group, reason=Tombstone.Reason.HIDDEN, was_public=True)
    # Made public again later, the objects must come back to a mirror syncing by updated_since.


def connect() -> None:
    bus.subscribe("event.cancelled", on_event_cancelled)
    bus.subscribe("event.deleted", on_event_deleted)
    bus.subscribe("project.cancelled", on_project_cancelled)
    bus.subscribe("shift.cancelled", on_shift_cancelled)
    bus.subscribe("group.deleting", on_group_deleting)
    bus.subscribe("group.updated", on_group_updated)
    from partners import webhooks

    webhooks.connect()
