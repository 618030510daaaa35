"""Single events: create, update, cancel."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import bus, pictures
from core.actors import as_actor, person_of
from core.exceptions import ServiceError
from events import notifications
from events.models import Event
from events.services._common import (
    EVENT_FIELDS,
    TIME_PLACE_FIELDS,
    changes,
    check_fields,
    lock_event,
    put_picture,
    record,
    release_pictures,
    require_manager,
    save_new_event,
    set_tags,
    validate_event,
)
from events.services.rsvps import promote_waitlist
from groups.models import Group


def event_create(
    *,
    group: Group,
    actor,
    tags: Iterable = (),
    picture=None,
    picture_alt: str = "",
    **fields,
) -> Event:
    """A new event in the group, by one of its organizers or hosts, with a web address made
    from its title and local date, and optionally a picture (an uploaded file) described by
    `picture_alt`."""
    check_fields(fields, EVENT_FIELDS)
    actor = as_actor(actor)
    require_manager(actor, group)
    with transaction.atomic():
        event = Event(group=group, created_by=person_of(actor), **fields)
        stored, _dropped = put_picture(event, picture=picture, remove=False, alt=picture_alt)
        try:
            validate_event(event)
            save_new_event(event)
        except BaseException:
            pictures.picture_discard(stored)
            raise
        set_tags(event, tags)
        record(actor, "event.created", event, group_id=group.pk)
        notifications.on_event_created(event=event)
        bus.publish("event.created", event=event)
        return event


def apply_event_changes(
    event: Event, fields: dict, *, actor, tags: Iterable | None = None, edited: bool = False
) -> set[str]:
    """Change a locked event, record it, tell who needs to know and fill freed seats. Returns
    the names of the fields that changed ("tags" included)."""
    before = {name: getattr(event, name) for name in fields}
    for name, value in fields.items():
        setattr(event, name, value)
    changed = {name for name in fields if getattr(event, name) != before[name]}
    if changed:
        validate_event(event)
        if edited and event.series_id is not None:
            event.edited_from_series = True
        event.save(update_fields=[*sorted(changed), "edited_from_series", "updated_at"])
    tags_before = sorted(event.tags.values_list("name", flat=True)) if tags is not None else None
    if tags is not None and set_tags(event, tags):
        if edited and event.series_id is not None and not event.edited_from_series:
            event.edited_from_series = True
            event.save(update_fields=["edited_from_series", "updated_at"])
        changed.add("tags")
    if not changed:
        return changed
    data = changes(
        {name: before[name] for name in changed if name in before},
        {name: getattr(event, name) for name in changed if name in before},
    )
    if "tags" in changed:
        data["tags"] = [tags_before, sorted(event.tags.values_list("name", flat=True))]
    record(actor, "event.updated", event, group_id=event.group_id, data=data)
    time_place = changed & TIME_PLACE_FIELDS
    if time_place:
        notifications.on_event_changed(event=event, changed_fields=time_place, actor=actor)
    if "capacity" in changed:
        old_capacity = before["capacity"]
        if event.capacity is None or (old_capacity is not None and event.capacity > old_capacity):
            promote_waitlist(event)
    bus.publish("event.updated", event=event, changed_fields=changed)
    return changed


def event_update(
    *,
    event: Event,
    actor,
    tags: Iterable | None = None,
    picture=None,
    remove_picture: bool = False,
    picture_alt: str | None = None,
    **fields,
) -> Event:
    """Edit an event (organizers and hosts). An occurrence edited here leaves its series'
    edits behind; a higher capacity gives seats to the waitlist. A new `picture` replaces the
    old one (whose files go after commit), as `remove_picture` drops it."""
    check_fields(fields, EVENT_FIELDS)
    actor = as_actor(actor)
    require_manager(actor, event.group)
    with transaction.atomic():
        event = lock_event(event.pk)
        if event.is_cancelled:
            raise ServiceError(_("A cancelled event cannot be changed."))
        apply_event_changes(event, fields, actor=actor, tags=tags, edited=True)
        _update_picture(event, actor=actor, picture=picture, remove=remove_picture, alt=picture_alt)
        return event


def _update_picture(event: Event, *, actor, picture, remove: bool, alt: str | None) -> None:
    """event_update's picture part, on the locked event: saved, logged (the file names
    withheld) and announced when it changed."""
    before = (event.picture.name, event.picture_alt)
    stored, dropped = put_picture(event, picture=picture, remove=remove, alt=alt)
    if (event.picture.name, event.picture_alt) == before:
        return
    try:
        validate_event(event)
    except BaseException:
        pictures.picture_discard(stored)
        raise
    event.save(update_fields=["picture", "picture_card", "picture_alt", "updated_at"])
    changed = {"picture"} if event.picture.name != before[0] else set()
    if event.picture_alt != before[1]:
        changed.add("picture_alt")
    record(actor, "event.updated", event, group_id=event.group_id, data=dict.fromkeys(changed))
    release_pictures(dropped)
    bus.publish("event.updated", event=event, changed_fields=changed)


def check_cancellation_message(message: str) -> None:
    """The organizer's message goes to everyone going: the model's rules for it apply."""
    try:
        Event._meta.get_field("cancellation_message").run_validators(message)
    except ValidationError as error:
        raise ServiceError({"message": error.messages}) from error


def cancel_locked_event(event: Event, message: str, *, actor) -> Event:
    check_cancellation_message(message)
    event.status = Event.Status.CANCELLED
    event.cancellation_message = message
    event.save(update_fields=["status", "cancellation_message", "updated_at"])
    record(actor, "event.cancelled", event, group_id=event.group_id)
    notifications.on_event_cancelled(event=event, message=message, actor=actor)
    bus.publish("event.cancelled", event=event)
    return event


def event_cancel(*, event: Event, actor, message: str = "") -> Event:
    """Cancel an event (organizers and hosts, or the system when its group closes): no further
    RSVPs; people are told."""
    actor = as_actor(actor)
    require_manager(actor, event.group)
    with transaction.atomic():
        event = lock_event(event.pk)
        if event.is_cancelled:
            return event
        if event.has_ended():
            raise ServiceError(_("This event has already ended."))
        return cancel_locked_event(event, message.strip(), actor=actor)
