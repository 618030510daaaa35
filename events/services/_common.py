"""What the events services share: field lists, validation, slugs, tags and the event lock."""

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.actors import Actor
from core.exceptions import ServiceError
from events.models import Event, Tag
from groups.models import Group
from groups.permissions import can_manage_events

# What a single event and a series share (events.models.EventDetails).
DETAIL_FIELDS = frozenset(
    {
        "title",
        "description",
        "timezone",
        "venue_name",
        "address",
        "city",
        "latitude",
        "longitude",
        "online_url",
        "capacity",
        "guests_allowed",
        "category",
        "step_free_access",
        "quiet_room",
        "sign_language",
        "accessibility_notes",
        "newcomers_welcome",
        "cost_note",
    }
)
EVENT_FIELDS = DETAIL_FIELDS | {"starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at"}
# Changes people going must hear about (their reminders move, their plans change).
TIME_PLACE_FIELDS = frozenset(
    {
        "starts_at",
        "ends_at",
        "timezone",
        "venue_name",
        "address",
        "city",
        "latitude",
        "longitude",
        "online_url",
    }
)
DATETIME_FIELDS = ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at", "first_starts_at")
SLUG_ATTEMPTS = 5


def check_fields(fields: dict, allowed: Iterable[str]) -> None:
    """Refuse fields a caller may not set (seats_taken, status, slug...): a programming error."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")


def require_manager(actor, group: Group) -> None:
    """Organizers and hosts of the group manage its events; site administrators may too (the
    admin site acts through these services)."""
    if isinstance(actor, Actor) and actor.is_system:  # a closing group cancels its events
        return
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied
    if actor.is_superuser and actor.is_active:
        return
    if not can_manage_events(actor, group):
        raise PermissionDenied


def clean(obj, *, exclude: Iterable[str] = ()) -> None:
    """Model validation as a ServiceError (field errors kept, so forms can show them)."""
    for name in DATETIME_FIELDS:
        value = getattr(obj, name, None)
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise ServiceError({name: _("Give the time with its time zone.")})
    try:
        # Constraints are checked by hand below with messages people can read; the database
        # keeps them as the last line of defence.
        obj.full_clean(exclude=list(exclude), validate_constraints=False)
    except ServiceError:
        raise
    except ValidationError as error:
        raise ServiceError(error.error_dict if hasattr(error, "error_dict") else error) from error


def validate_event(event: Event) -> None:
    """Every rule of a single event's fields."""
    clean(event, exclude=["slug"])
    if event.ends_at <= event.starts_at:
        raise ServiceError({"ends_at": _("The event must end after it starts.")})
    if (
        event.rsvp_opens_at is not None
        and event.rsvp_closes_at is not None
        and event.rsvp_closes_at <= event.rsvp_opens_at
    ):
        raise ServiceError({"rsvp_closes_at": _("RSVPs must close after they open.")})
    if event.capacity is not None and event.capacity < event.seats_taken:
        raise ServiceError(
            {
                "capacity": _(
                    "%(taken)s seats are already taken: the capacity cannot be lower than that."
                )
                % {"taken": event.seats_taken}
            }
        )


def local_time(value: dt.datetime, timezone: str) -> dt.datetime:
    return value.astimezone(zoneinfo.ZoneInfo(timezone))


def _slug_candidates(event: Event):
    base = slugify(event.title)[:190].strip("-") or "event"
    first = f"{base}-{local_time(event.starts_at, event.timezone).date().isoformat()}"
    taken = set(Event.objects.filter(slug__startswith=first).values_list("slug", flat=True))
    number = 1
    while True:
        candidate = first if number == 1 else f"{first}-{number}"
        if candidate not in taken:
            yield candidate
        number += 1


def save_new_event(event: Event) -> bool:
    """Insert the event with a unique slug (title and local date, then -2, -3...). Returns False
    when another constraint refused it (an occurrence another run already created)."""
    for _attempt in range(SLUG_ATTEMPTS):
        event.slug = next(_slug_candidates(event))
        try:
            with transaction.atomic():
                event.save(force_insert=True)
            return True
        except IntegrityError:
            event.pk = None
            if not Event.objects.filter(slug=event.slug).exists():
                return False
            # Someone took the slug between the look-up and the insert: look again.
    raise ServiceError(_("Could not find a free web address for this event. Try again."))


def tag_names(tags: Iterable) -> list[str]:
    names: dict[str, str] = {}
    for tag in tags:
        name = (tag.name if isinstance(tag, Tag) else str(tag)).strip()
        if not name:
            continue
        if len(name) > Tag._meta.get_field("name").max_length:
            raise ServiceError({"tags": _("A tag can be at most 40 characters long.")})
        names.setdefault(name.casefold(), name)
    return list(names.values())


def set_tags(obj, tags: Iterable) -> bool:
    """Tags by name, created when new ("Board games" and "board games" are one tag). True when
    they changed."""
    wanted = []
    for name in tag_names(tags):
        slug = slugify(name, allow_unicode=True)[:50] or "tag"
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
        if tag is None:
            tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        wanted.append(tag)
    current = set(obj.tags.values_list("pk", flat=True))
    if current == {tag.pk for tag in wanted}:
        return False
    obj.tags.set(wanted)
    return True


def lock_event(pk: int) -> Event:
    """The event row, locked until the transaction ends: every seat change queues here, so
    waitlist order is arrival order (SQLite serializes writers with BEGIN IMMEDIATE).

    The group row is locked first, as groups.services does before it changes a membership and
    announces it: one order everywhere (group, membership, event), so an RSVP racing a ban or
    a leave waits for it and sees it, and the two can never deadlock."""
    group_id = Event.objects.values_list("group_id", flat=True).get(pk=pk)
    list(Group.objects.select_for_update().filter(pk=group_id).values_list("pk"))
    return Event.objects.select_for_update(of=("self",)).select_related("group").get(pk=pk)
