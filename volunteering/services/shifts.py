"""Shifts and repeating shifts: create, update, cancel (organizers and hosts), and the
materialization of a series' shifts over its rolling horizon."""

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import bus, when
from core.actors import Actor, as_actor
from core.exceptions import ServiceError
from core.recurrence import occurrences_between
from volunteering import notifications
from volunteering.models import SHIFT_FIELDS, SHIFT_SERIES_FIELDS, Role, Shift, ShiftSeries
from volunteering.services._common import (
    changes,
    check_fields,
    clean,
    lock_shift,
    record,
    require_manager,
)
from volunteering.services.signups import promote_waitlist

MATERIALIZER = Actor.system("shift series materialized")
# Changes the volunteers signed up must hear about.
TIME_PLACE_FIELDS = frozenset(
    {"starts_at", "ends_at", "timezone", "venue_name", "address", "city", "latitude", "longitude"}
)
PLACE_FIELDS = ("venue_name", "address", "city", "latitude", "longitude")


def _group_id(role: Role) -> int:
    return role.project.group_id


def shift_create(*, role: Role, actor, **fields) -> Shift:
    """One shift of the role (organizers and hosts); the time zone defaults to the project's."""
    check_fields(fields, SHIFT_FIELDS)
    actor = as_actor(actor)
    project = role.project
    require_manager(actor, project.group)
    fields.setdefault("timezone", project.timezone)
    with transaction.atomic():
        shift = Shift(role=role, **fields)
        clean(shift)
        shift.save()
        record(actor, "shift.created", shift, group_id=project.group_id, data={"role": role.pk})
        bus.publish("shift.created", shift=shift)
        return shift


def shift_update(*, shift: Shift, actor, **fields) -> Shift:
    """Edit a shift. Volunteers signed up are told when its time or place changes; more places
    go to the waitlist in arrival order. An occurrence of a series edited on its own keeps its
    edits when the series changes."""
    check_fields(fields, SHIFT_FIELDS)
    actor = as_actor(actor)
    require_manager(actor, shift.role.project.group)
    with transaction.atomic():
        shift = lock_shift(shift.pk)
        before = {name: getattr(shift, name) for name in fields}
        for name, value in fields.items():
            setattr(shift, name, value)
        clean(shift)
        changed = {name for name in fields if getattr(shift, name) != before[name]}
        if not changed:
            return shift
        if shift.series_id:
            shift.edited_from_series = True
        shift.save()
        record(
            actor,
            "shift.updated",
            shift,
            group_id=shift.role.project.group_id,
            data=changes({n: before[n] for n in changed}, {n: getattr(shift, n) for n in changed}),
        )
        if changed & TIME_PLACE_FIELDS:
            notifications.on_shift_changed(
                shift=shift, changed_fields=changed & TIME_PLACE_FIELDS, actor=actor
            )
        if "capacity" in changed:
            promote_waitlist(shift)
        bus.publish("shift.updated", shift=shift, changed_fields=sorted(changed))
        return shift


def cancel_locked_shift(shift: Shift, *, actor, message: str) -> Shift:
    # The message goes to everyone signed up or waiting: the model's rules for it apply.
    try:
        Shift._meta.get_field("cancellation_message").run_validators(message)
    except ValidationError as error:
        raise ServiceError({"message": error.messages}) from error
    shift.status = Shift.Status.CANCELLED
    shift.cancellation_message = message
    shift.save(update_fields=["status", "cancellation_message", "updated_at"])
    record(actor, "shift.cancelled", shift, group_id=shift.role.project.group_id)
    notifications.on_shift_cancelled(shift=shift, message=message, actor=actor)
    bus.publish("shift.cancelled", shift=shift)
    return shift


def shift_cancel(*, shift: Shift, actor, message: str = "") -> Shift:
    """Cancel a shift: volunteers signed up or waiting are told, with the message."""
    actor = as_actor(actor)
    require_manager(actor, shift.role.project.group)
    with transaction.atomic():
        shift = lock_shift(shift.pk)
        if shift.is_cancelled:
            return shift
        return cancel_locked_shift(shift, actor=actor, message=message.strip())


def shift_series_create(
    *,
    role: Role,
    actor,
    rrule: str,
    first_starts_at: dt.datetime,
    duration: dt.timedelta,
    skip_dates: Iterable[dt.date] = (),
    **fields,
) -> ShiftSeries:
    """A repeating shift (organizers and hosts); its first shifts are created at once. Each of
    `skip_dates` (local dates in the series' zone) must be a date the rule gives within the
    horizon: that shift is made and cancelled at once, so the series never makes it again."""
    check_fields(fields, set(SHIFT_SERIES_FIELDS) - {"rrule", "first_starts_at"})
    actor = as_actor(actor)
    project = role.project
    require_manager(actor, project.group)
    fields.setdefault("timezone", project.timezone)
    with transaction.atomic():
        series = ShiftSeries(
            role=role, rrule=rrule, first_starts_at=first_starts_at, duration=duration, **fields
        )
        clean(series)
        series.save()
        record(
            actor,
            "shift_series.created",
            series,
            group_id=project.group_id,
            data={"rrule": series.rrule},
        )
        shift_series_materialize(series=series)
        _skip(series, skip_dates, actor=actor)
        return series


def _skip(series: ShiftSeries, dates: Iterable[dt.date], *, actor) -> None:
    dates = set(dates)
    if not dates:
        return
    found = {}
    for shift in series.shifts.all():
        day = when.local(shift.starts_at, series.timezone).date()
        if day in dates:
            found[day] = shift
    missing = sorted(dates - set(found))
    if missing:
        raise ServiceError(
            {
                "skip_date": _(
                    "%(date)s is not one of the first dates of this repeating shift "
                    "(within %(days)s days)."
                )
                % {"date": missing[0].isoformat(), "days": series.horizon_days}
            }
        )
    for day in sorted(found):
        cancel_locked_shift(
            lock_shift(found[day].pk), actor=actor, message=_("No shift on this date.")
        )


def shift_series_materialize(*, series: ShiftSeries, now: dt.datetime | None = None) -> int:
    """Create the shifts that start within `horizon_days` and were not made before, as the
    system; safe to run any number of times. Returns how many were created."""
    now = now or timezone.now()
    with transaction.atomic():
        series = (
            ShiftSeries.objects.select_for_update(of=("self",))
            .select_related("role__project")
            .get(pk=series.pk)
        )
        if series.role.project.is_cancelled:
            return 0
        until = now + dt.timedelta(days=series.horizon_days)
        after = now
        if series.materialized_until is not None and series.materialized_until >= now:
            after = series.materialized_until + dt.timedelta(microseconds=1)
        before = until if series.ended_at is None else min(until, series.ended_at)
        created = 0
        if after <= before:
            taken = set(
                series.shifts.filter(recurrence_id__gte=after).values_list(
                    "recurrence_id", flat=True
                )
            )
            place = {name: getattr(series, name) for name in PLACE_FIELDS}
            new = [
                Shift(
                    role=series.role,
                    series=series,
                    recurrence_id=start,
                    starts_at=start,
                    ends_at=start + series.duration,
                    timezone=series.timezone,
                    capacity=series.capacity,
                    **place,
                )
                for start in occurrences_between(
                    rule=series.rrule,
                    first_starts_at=series.first_starts_at,
                    timezone=series.timezone,
                    after=after,
                    before=before,
                )
                if start not in taken
            ]
            # Under the series lock (SQLite: one writer) no other run inserts these slots.
            Shift.objects.bulk_create(new)
            created = len(new)
            if created:
                record(
                    MATERIALIZER,
                    "shift_series.materialized",
                    series,
                    group_id=series.role.project.group_id,
                    data={"created": created},
                )
        if series.materialized_until is None or until > series.materialized_until:
            series.materialized_until = until
            series.save(update_fields=["materialized_until"])
        return created


def shift_series_end(*, series: ShiftSeries, actor, message: str = "") -> ShiftSeries:
    """Stop repeating: no more shifts are made; coming shifts not edited on their own are
    cancelled, their volunteers told."""
    actor = as_actor(actor)
    require_manager(actor, series.role.project.group)
    with transaction.atomic():
        series = ShiftSeries.objects.select_for_update().get(pk=series.pk)
        now = timezone.now()
        if series.ended_at is not None and series.ended_at <= now:
            return series
        series.ended_at = now
        series.save(update_fields=["ended_at", "updated_at"])
        message = message.strip() or _("This shift no longer repeats.")
        coming = series.shifts.scheduled().filter(starts_at__gt=now, edited_from_series=False)
        for pk in coming.order_by("starts_at").values_list("pk", flat=True):
            cancel_locked_shift(lock_shift(pk), actor=actor, message=message)
        record(actor, "shift_series.ended", series, group_id=series.role.project.group_id)
        return series
