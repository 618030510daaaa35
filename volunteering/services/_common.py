"""What the volunteering services share: who may act, validation, slugs, the activity log and
the shift lock."""

import datetime as dt
import re
import secrets
import string
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import activity
from core.actors import as_actor
from core.exceptions import NotAllowed, ServiceError
from core.moderation import is_site_moderator
from groups.models import Group
from groups.permissions import can_manage_events
from volunteering.models import Shift, VolunteerProject

SLUG_ATTEMPTS = 5
# Projects of hidden groups end their web address with random letters and digits, as events
# do: the plain and numbered addresses belong to public projects only.
HIDDEN_SLUG_SUFFIX_LENGTH = 12
_ALPHABET = string.ascii_lowercase + string.digits
_HIDDEN_SUFFIX = re.compile(r"-(?=[a-z0-9]*[a-z])[a-z0-9]{10,}$")
DATETIME_FIELDS = ("starts_at", "ends_at", "first_starts_at", "ended_at")
# Where volunteers meet is for those signed up: the activity log says these changed, not to what.
WITHHELD_FIELDS = frozenset({"address", "latitude", "longitude"})


def check_fields(fields: dict, allowed: Iterable[str]) -> None:
    """Refuse fields a caller may not set (seats_taken, status, slug...): a programming error."""
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")


def may_manage(actor, group: Group) -> bool:
    """Organizers and hosts run the group's projects and shifts, as they run its events; the
    system does; a site moderator does inside a moderation session; an API client does within
    its grant (groups.permissions), as for events."""
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
    """The model's rules as a ServiceError with its field errors."""
    for name in DATETIME_FIELDS:
        value = getattr(obj, name, None)
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise ServiceError({name: _("Give the time with its time zone.")})
    try:
        obj.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        raise ServiceError.from_validation_error(error) from error


def record(actor, verb: str, subject, *, group_id: int, data: dict | None = None) -> None:
    activity.record(actor=actor, verb=verb, subject=subject, group_id=group_id, data=data)


def changes(before: dict, after: dict) -> dict:
    data = activity.changes(before, after)
    return {name: None if name in WITHHELD_FIELDS else value for name, value in data.items()}


def is_hidden(group: Group) -> bool:
    return group.visibility != Group.Visibility.PUBLIC


def _suffix() -> str:
    while True:
        suffix = "".join(secrets.choice(_ALPHABET) for _i in range(HIDDEN_SLUG_SUFFIX_LENGTH))
        if any(char in string.ascii_lowercase for char in suffix):
            return suffix


def _candidates(project: VolunteerProject):
    base = slugify(project.title)[:180].strip("-") or "project"
    if is_hidden(project.group):
        while True:
            yield f"{base}-{_suffix()}"
    taken = set(
        VolunteerProject.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    number = 1
    while True:
        candidate = base if number == 1 else f"{base}-{number}"
        if candidate not in taken:
            yield candidate
        number += 1


def save_new_project(project: VolunteerProject) -> None:
    """Insert the project with a unique web address (title, then -2, -3...; in a hidden group,
    title and a random suffix)."""
    candidates = _candidates(project)
    for _attempt in range(SLUG_ATTEMPTS):
        project.slug = next(candidates)
        try:
            with transaction.atomic():
                project.save(force_insert=True)
            return
        except IntegrityError:
            project.pk = None
            candidates = _candidates(project)
    raise ServiceError(_("Could not find a free web address for this project. Try again."))


def hide_slugs(group: Group) -> int:
    """Give the group's projects an unguessable address (the group became private or unlisted)."""
    changed = 0
    for project in VolunteerProject.objects.filter(group=group).order_by("pk"):
        if _HIDDEN_SUFFIX.search(project.slug):
            continue
        base = slugify(project.title)[:180].strip("-") or "project"
        slug = f"{base}-{_suffix()}"
        VolunteerProject.objects.filter(pk=project.pk).update(slug=slug)
        changed += 1
    return changed


def lock_shift(pk: int) -> Shift:
    """The shift row, locked until the transaction ends, after its group's row: the one order
    (group, membership, shift) the RSVPs keep, so a sign-up racing a ban waits for it, and
    every place change queues here so waitlist order is arrival order."""
    group_id = Shift.objects.values_list("role__project__group_id", flat=True).get(pk=pk)
    list(Group.objects.select_for_update().filter(pk=group_id).values_list("pk"))
    return (
        Shift.objects.select_for_update(of=("self",))
        .select_related("role__project__group")
        .get(pk=pk)
    )
