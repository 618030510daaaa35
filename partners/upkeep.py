"""Upkeep of the partner API's sync and retries: a group made public again brings its events,
volunteer projects and shifts back to `updated_since`; Idempotency-Key records are forgotten
after their window."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core import bus
from events.models import Event
from groups.models import Group
from partners.models import IdempotencyRecord, Tombstone
from volunteering.models import Shift, VolunteerProject


def on_group_public_again(*, group, changed_fields, **_payload) -> None:
    """Bus subscriber (group.updated): a group public again has its events count as changed
    now, so a mirror syncing with `updated_since` fetches them again, and their "hidden"
    tombstones go (a later hiding then writes a fresh one, with its own time). Runs in the
    transaction of group_update."""
    if "visibility" not in changed_fields or group.visibility != Group.Visibility.PUBLIC:
        return
    Tombstone.objects.filter(group_id=group.pk, reason=Tombstone.Reason.HIDDEN).delete()
    # updated_at is auto_now: a queryset update is the only way to set it without a save() per
    # row, and their content did not change (nothing to announce). Volunteer projects and
    # shifts are hidden with their group too (their tombstones just went), so they come back
    # the same way.
    now = timezone.now()
    Event.objects.filter(group=group).update(updated_at=now)
    VolunteerProject.objects.filter(group=group).update(updated_at=now)
    Shift.objects.filter(role__project__group=group).update(updated_at=now)


def idempotency_records_expire(*, now: dt.datetime | None = None, batch: int = 1000) -> int:
    """Forget Idempotency-Key records older than PARTNER_API_IDEMPOTENCY_HOURS (a repeat after
    that is a new request), including any left "in flight" by a process that died. Deletes in
    batches so one run holds no long lock. Returns how many went."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.PARTNER_API_IDEMPOTENCY_HOURS)
    total = 0
    while True:
        with transaction.atomic():
            pks = list(
                IdempotencyRecord.objects.filter(created_at__lt=cutoff)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch]
            )
            if pks:
                IdempotencyRecord.objects.filter(pk__in=pks).delete()
        total += len(pks)
        if len(pks) < batch:
            return total


def connect() -> None:
    bus.subscribe("group.updated", on_group_public_again)
