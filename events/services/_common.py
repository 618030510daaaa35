"""What the events services share: field lists, validation, who may act, slugs, tags, the
activity log and the event lock."""

import datetime as dt
import re
import secrets
import string
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import activity, pictures, when
from core.actors import as_actor
from core.exceptions import NotAllowed, ServiceError
from core.moderation import is_site_moderator
from events.models import DETAIL_FIELDS as DETAIL_FIELD_NAMES
from events.models import EVENT_FIELDS as EVENT_FIELD_NAMES
from events.models import Event, EventSeries, Tag
from groups.models import Group
from groups.permissions import can_manage_events

DETAIL_FIELDS = frozenset(DETAIL_FIELD_NAMES)
EVENT_FIELDS = frozenset(EVENT_FIELD_NAMES)
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
# A picture, its card version and its description: set together, a series' copied to its dates.
PICTURE_FIELDS = ("picture", "picture_card", "picture_alt")
DATETIME_FIELDS = ("starts_at", "ends_at", "rsvp_opens_at", "rsvp_closes_at", "first_starts_at")
SLUG_ATTEMPTS = 5
# Events of hidden groups end their web address with this many random letters and digits, so
# the plain and numbered addresses ("-2") belong to public events only and an address says
# nothing about a private circle's dates.
HIDDEN_SLUG_SUFFIX_LENGTH = 12
_SUFFIX_ALPHABET = string.ascii_lowercase + string.digits
_HIDDEN_SUFFIX = re.compile(r"-(?=[a-z0-9]*[a-z])[a-z0-9]{10,}$")


def check_fields(fields: dict, allowed: Iterable[str]) -> None:
    """Refuse fields a caller may not set (seats_taken, status, slug...): a programming error."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")


def may_manage(actor, group: Group) -> bool:
    """Organizers and hosts of the group manage its events; the system does (a closing group,
    a series making its dates); a site moderator does inside a moderation session (the admin
    acts through these services). An API client does within its grant (groups.permissions)."""
    actor = as_actor(actor)
    if actor is None:
        return False
    if actor.is_client:
        return can_manage_events(actor, group)
    if actor.is_system:
        return True
    return is_site_moderator(actor.user) or can_manage_events(actor.user, group)


def require_manager(actor, group: Group) -> None:
    if not may_manage(actor, group):
        raise NotAllowed(_("Only the group's organizers and hosts may do this."))


def clean(obj, *, exclude: Iterable[str] = ()) -> None:
    """The model's rules (its fields and clean()) as a ServiceError, field errors kept so forms
    can show them beside their field."""
    for name in DATETIME_FIELDS:
        value = getattr(obj, name, None)
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise ServiceError({name: _("Give the time with its time zone.")})
    try:
        # The database constraints are the model's clean() rules again, as a last line of
        # defence: the messages people read come from clean().
        obj.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        raise ServiceError.from_validation_error(error) from error


def validate_event(event: Event) -> None:
    """Every rule of a single event (Event.clean and its fields)."""
    clean(event, exclude=["slug"])


# Where people meet is for those going: the activity log says these changed, not to what.
WITHHELD_FIELDS = frozenset({"address", "online_url", "latitude", "longitude"})


def record(actor, verb: str, subject, *, group_id: int, data: dict | None = None) -> None:
    """One activity row, inside the service's transaction."""
    activity.record(actor=actor, verb=verb, subject=subject, group_id=group_id, data=data)


def changes(before: dict, after: dict) -> dict:
    """{"field": [old, new]} for what changed (core.activity.changes), with None in place of
    the values of the withheld fields (address, online link, coordinates)."""
    return activity.changes(before, after, withheld=WITHHELD_FIELDS)


def local_time(value: dt.datetime, timezone: str) -> dt.datetime:
    return when.local(value, timezone)


def is_hidden(group: Group) -> bool:
    """Private and unlisted groups: their events must not show in the public address space."""
    return group.visibility != Group.Visibility.PUBLIC


def has_hidden_slug(slug: str) -> bool:
    return _HIDDEN_SUFFIX.search(slug) is not None


def _random_suffix() -> str:
    while True:
        suffix = "".join(
            secrets.choice(_SUFFIX_ALPHABET) for _i in range(HIDDEN_SLUG_SUFFIX_LENGTH)
        )
        if any(char in string.ascii_lowercase for char in suffix):
            return suffix


def _slug_base(event: Event) -> str:
    base = slugify(event.title)[:180].strip("-") or "event"
    return f"{base}-{local_time(event.starts_at, event.timezone).date().isoformat()}"


def _slug_candidates(event: Event):
    first = _slug_base(event)
    if is_hidden(event.group):
        # Never numbered: whether "-2" is free must not depend on a hidden event.
        while True:
            yield f"{first}-{_random_suffix()}"
    taken = set(Event.objects.filter(slug__startswith=first).values_list("slug", flat=True))
    number = 1
    while True:
        candidate = first if number == 1 else f"{first}-{number}"
        if candidate not in taken:
            yield candidate
        number += 1


def save_new_event(event: Event) -> bool:
    """Insert the event with a unique slug (title and local date, then -2, -3...; in a hidden
    group, title, date and a random suffix). Returns False when another constraint refused it
    (an occurrence another run already created)."""
    candidates = _slug_candidates(event)
    for _attempt in range(SLUG_ATTEMPTS):
        event.slug = next(candidates)
        try:
            with transaction.atomic():
                event.save(force_insert=True)
            return True
        except IntegrityError:
            event.pk = None
            if not Event.objects.filter(slug=event.slug).exists():
                return False
            # Someone took the slug between the look-up and the insert: look again.
            candidates = _slug_candidates(event)
    raise ServiceError(_("Could not find a free web address for this event. Try again."))


def hide_slugs(group: Group) -> int:
    """Give the group's events that still have a public-looking address an unguessable one
    (the group became private or unlisted). Returns how many changed."""
    changed = 0
    for event in Event.objects.filter(group=group).select_related("group").order_by("pk"):
        if has_hidden_slug(event.slug):
            continue
        for _attempt in range(SLUG_ATTEMPTS):
            slug = f"{_slug_base(event)}-{_random_suffix()}"
            if not Event.objects.filter(slug=slug).exists():
                Event.objects.filter(pk=event.pk).update(slug=slug)
                changed += 1
                break
    return changed


def tag_names(tags: Iterable) -> list[str]:
    names: dict[str, str] = {}
    for tag in tags:
        name = (tag.name if isinstance(tag, Tag) else str(tag)).strip()
        if not name:
            continue
        if len(name) > Tag._meta.get_field("name").max_length:
            raise ServiceError({"tags": _("A tag can be at most 40 characters long.")})
        try:
            Tag._meta.get_field("name").run_validators(name)
        except ValidationError as error:
            raise ServiceError({"tags": error.messages}) from error
        names.setdefault(name.casefold(), name)
    return list(names.values())


def _spelled_by_hidden_rows(tag: Tag, obj) -> bool:
    """Only events and series of hidden groups (besides `obj`) use the tag."""
    events = Event.objects.filter(tags=tag)
    series = EventSeries.objects.filter(tags=tag)
    if isinstance(obj, Event):
        events = events.exclude(pk=obj.pk)
    else:
        series = series.exclude(pk=obj.pk)
    public = Q(group__visibility=Group.Visibility.PUBLIC)
    if events.filter(public).exists() or series.filter(public).exists():
        return False
    return events.exists() or series.exists()


def set_tags(obj, tags: Iterable) -> bool:
    """Tags by name, created when new ("Board games" and "board games" are one tag). True when
    they changed.

    A tag is one row for the whole site, shown on public pages with the spelling it was created
    with. So that a hidden group's events never decide what public pages show, a public event
    (or series) taking a tag that only hidden groups' events use gives it its own spelling."""
    wanted = []
    for name in tag_names(tags):
        slug = slugify(name, allow_unicode=True)[:50] or "tag"
        tag = Tag.objects.filter(slug=slug).first() or Tag.objects.filter(name=name).first()
        if tag is None:
            tag, _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
        elif (
            tag.name != name
            and not is_hidden(obj.group)
            and not Tag.objects.filter(name=name).exclude(pk=tag.pk).exists()
            and _spelled_by_hidden_rows(tag, obj)
        ):
            tag.name = name
            tag.save(update_fields=["name"])
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


def put_picture(obj, *, picture, remove: bool, alt: str | None, stored=None) -> tuple:
    """Set an event's or series' picture (an uploaded file, checked, resized and stored by
    core.pictures, or one already `stored`), drop it (`remove`) and its description; returns
    what was stored and the files it drops."""
    if stored is None and picture:
        stored = pictures.picture_store(picture)
    dropped = []
    if stored is not None or remove:
        dropped = [name for name in (obj.picture.name, obj.picture_card.name) if name]
        obj.picture = stored.name if stored else ""
        obj.picture_card = stored.card_name if stored else ""
    if alt is not None:
        obj.picture_alt = alt.strip()
    return stored, dropped


def pictures_in_use(names) -> set[str]:
    """Which of these stored files an event or a series still shows."""
    names = list(names)
    used = set()
    for model in (Event, EventSeries):
        for field in ("picture", "picture_card"):
            used.update(
                model.objects.filter(**{f"{field}__in": names}).values_list(field, flat=True)
            )
    return used


def release_pictures(names) -> None:
    """Delete dropped picture files after commit, except those another date or the series
    still shows."""
    pictures.picture_delete(*names, in_use=pictures_in_use)
