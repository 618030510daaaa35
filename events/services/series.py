"""Recurring events: a series holds the rule, its occurrences are ordinary Event rows.

Occurrences are created over a rolling horizon (`horizon_days`). Each remembers the slot of the
rule it was made for (`recurrence_id`), so an occurrence moved or cancelled on its own is not
made again. Editing the series changes its future occurrences that were not edited on their own.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import bus, pictures
from core.actors import Actor, as_actor, person_of
from core.exceptions import ServiceError
from core.recurrence import occurrences_between
from events import notifications
from events.models import SERIES_FIELDS as SERIES_FIELD_NAMES
from events.models import SERIES_RULE_FIELDS, Event, EventSeries, Rsvp, SeriesRsvp
from events.services._common import (
    DETAIL_FIELDS,
    PICTURE_FIELDS,
    changes,
    check_fields,
    clean,
    local_time,
    lock_event,
    put_picture,
    record,
    release_pictures,
    require_manager,
    save_new_event,
    set_tags,
)
from events.services.events import apply_event_changes, cancel_locked_event
from events.services.rsvps import ACTIVE
from events.services.series_rsvps import series_rsvps_apply, series_rsvps_end
from groups.models import Group

SERIES_FIELDS = frozenset(SERIES_FIELD_NAMES)
RULE_FIELDS = frozenset(SERIES_RULE_FIELDS)
# Changes that can move occurrences to other times or dates.
SCHEDULE_FIELDS = RULE_FIELDS | {"timezone", "ended_at"}
MATERIALIZER = Actor.system("series materialized")


def _validate_series(series: EventSeries) -> None:
    """Every rule of a series (EventSeries.clean: place, length, horizon, a rule that gives a
    date; the rule is kept in its canonical form)."""
    clean(series)


def _slots(series: EventSeries, after: dt.datetime, before: dt.datetime) -> list[dt.datetime]:
    if series.ended_at is not None:
        before = min(before, series.ended_at)
    if before < after:
        return []
    return list(
        occurrences_between(
            rule=series.rrule,
            first_starts_at=series.first_starts_at,
            timezone=series.timezone,
            after=after,
            before=before,
        )
    )


def event_series_create(
    *,
    group: Group,
    actor,
    rrule: str,
    first_starts_at: dt.datetime,
    duration: dt.timedelta,
    tags: Iterable = (),
    skip_dates: Iterable[dt.date] = (),
    picture=None,
    picture_alt: str = "",
    **fields,
) -> EventSeries:
    """A recurring event (organizers and hosts); its first occurrences are created at once.
    Each of `skip_dates` (local dates in the series' zone) must be a date the rule gives within
    the horizon: that occurrence is made and cancelled at once, so the series never makes it
    again. A `picture` (an uploaded file, described by `picture_alt`) goes on every date, those
    made later included; they share its stored files."""
    check_fields(fields, SERIES_FIELDS)
    actor = as_actor(actor)
    require_manager(actor, group)
    stored = None
    try:
        with transaction.atomic():
            series = EventSeries(
                group=group,
                created_by=person_of(actor),
                rrule=rrule,
                first_starts_at=first_starts_at,
                duration=duration,
                **fields,
            )
            stored, _dropped = put_picture(series, picture=picture, remove=False, alt=picture_alt)
            _validate_series(series)
            series.save()
            set_tags(series, tags)
            record(actor, "series.created", series, group_id=group.pk, data={"rrule": series.rrule})
            event_series_materialize(series=series)
            _skip(series, skip_dates, actor=actor)
            return series
    except BaseException:
        pictures.picture_discard(stored)
        raise


def _skip(series: EventSeries, dates: Iterable[dt.date], *, actor) -> None:
    """Cancel the coming occurrences on these local dates ("No event on this date."), with
    their activity rows; one already cancelled stays so. ServiceError on `skip_date` for a date
    that has no coming occurrence."""
    dates = set(dates)
    if not dates:
        return
    found = {}
    for event in series.occurrences.not_started(timezone.now()).order_by("starts_at"):
        day = local_time(event.recurrence_id or event.starts_at, series.timezone).date()
        if day in dates:
            found.setdefault(day, event)
    missing = sorted(dates - set(found))
    if missing:
        raise ServiceError(
            {
                "skip_date": _(
                    "%(date)s is not one of the coming dates of this repeating event "
                    "(within %(days)s days)."
                )
                % {"date": missing[0].isoformat(), "days": series.horizon_days}
            }
        )
    for day in sorted(found):
        event = lock_event(found[day].pk)
        if event.status == Event.Status.SCHEDULED:
            cancel_locked_event(event, _("No event on this date."), actor=actor)


def event_series_materialize(*, series: EventSeries, now: dt.datetime | None = None) -> int:
    """Create the occurrences that start within `horizon_days` and were not made before, as the
    system ("series materialized"); safe to run any number of times. Returns how many were
    created."""
    now = now or timezone.now()
    with transaction.atomic():
        series = EventSeries.objects.select_for_update().select_related("group").get(pk=series.pk)
        until = now + dt.timedelta(days=series.horizon_days)
        after = now
        if series.materialized_until is not None and series.materialized_until >= now:
            # Slots up to here were made already; one deleted since then stays deleted.
            after = series.materialized_until + dt.timedelta(microseconds=1)
        created = 0
        slots = _slots(series, after, until)
        if slots:
            existing = series.occurrences.filter(starts_at__gte=after)
            taken = set(existing.values_list("starts_at", flat=True))
            taken |= set(
                series.occurrences.filter(recurrence_id__gte=after).values_list(
                    "recurrence_id", flat=True
                )
            )
            tags = list(series.tags.all())
            details = {name: getattr(series, name) for name in DETAIL_FIELDS}
            details.update(_series_picture(series))
            for start in slots:
                if start in taken:
                    continue
                event = Event(
                    group=series.group,
                    series=series,
                    recurrence_id=start,
                    starts_at=start,
                    ends_at=start + series.duration,
                    created_by=series.created_by,
                    **details,
                )
                if not save_new_event(event):
                    continue
                if tags:
                    event.tags.set(tags)
                record(
                    MATERIALIZER,
                    "event.created",
                    event,
                    group_id=event.group_id,
                    data={"series": series.pk},
                )
                notifications.on_event_created(event=event)
                bus.publish("event.created", event=event)
                created += 1
        if series.materialized_until is None or until > series.materialized_until:
            series.materialized_until = until
            series.save(update_fields=["materialized_until"])
        # Standing RSVPs book the new dates, and dates whose RSVPs opened since the last run.
        series_rsvps_apply(series=series, now=now)
        return created


def _series_picture(series: EventSeries) -> dict:
    """The series' picture as its dates take it: the same stored files (by name) and words."""
    return {
        "picture": series.picture.name or "",
        "picture_card": series.picture_card.name or "",
        "picture_alt": series.picture_alt,
    }


def _follow_series_picture(event: Event, series: EventSeries, before: tuple, *, actor) -> None:
    """A locked coming date that still shows the series' former picture (`before`: its name and
    description) takes the new one; a date given its own picture, or none, keeps it."""
    if (event.picture.name or "", event.picture_alt) != before:
        return
    for name, value in _series_picture(series).items():
        setattr(event, name, value)
    event.save(update_fields=[*PICTURE_FIELDS, "updated_at"])
    changed = {"picture"} if event.picture.name != before[0] else set()
    if event.picture_alt != before[1]:
        changed.add("picture_alt")
    record(actor, "event.updated", event, group_id=event.group_id, data=dict.fromkeys(changed))
    bus.publish("event.updated", event=event, changed_fields=changed)


def _remove_occurrence(event: Event, *, actor, message: str = "") -> None:
    """A date the rule no longer gives: cancelled when people answered, deleted otherwise."""
    if Rsvp.objects.filter(event=event, status__in=ACTIVE).exists():
        cancel_locked_event(
            event, message or _("This date was removed from the series."), actor=actor
        )
    else:
        record(
            actor,
            "event.deleted",
            event,
            group_id=event.group_id,
            data={"starts_at": event.starts_at.isoformat(), "series": event.series_id},
        )
        bus.publish("event.deleted", event=event)
        event.delete()


def _reschedule(series: EventSeries, now: dt.datetime) -> dict[int, dt.datetime | None]:
    """Match future occurrences to the new rule by local date: an occurrence keeps its date
    and takes the new time, or has no slot any more (None). Occurrences edited or cancelled on
    their own stay as they are but take the new slot of their date as their recurrence_id,
    so that date is not created again."""
    future = list(series.occurrences.not_started(now))
    latest = max((max(e.starts_at, e.recurrence_id or e.starts_at) for e in future), default=now)
    before = max(now + dt.timedelta(days=series.horizon_days), latest + dt.timedelta(days=1))
    by_date: dict[dt.date, dt.datetime] = {}
    for slot in _slots(series, now, before):
        by_date.setdefault(local_time(slot, series.timezone).date(), slot)
    moves: dict[int, dt.datetime | None] = {}
    for event in future:
        own = event.edited_from_series or event.status != Event.Status.SCHEDULED
        anchor = event.recurrence_id if own and event.recurrence_id else event.starts_at
        slot = by_date.get(local_time(anchor, event.timezone).date())
        if own:
            if slot is not None and slot != event.recurrence_id:
                Event.objects.filter(pk=event.pk).update(recurrence_id=slot)
            continue
        moves[event.pk] = slot
    taken_by_own = {
        e.starts_at for e in future if e.edited_from_series or e.status != Event.Status.SCHEDULED
    }
    return {pk: (None if slot in taken_by_own else slot) for pk, slot in moves.items()}


def event_series_update(
    *,
    series: EventSeries,
    actor,
    tags: Iterable | None = None,
    skip_dates: Iterable[dt.date] = (),
    picture=None,
    remove_picture: bool = False,
    picture_alt: str | None = None,
    **fields,
) -> EventSeries:
    """Edit a series (organizers and hosts) and its future occurrences that were not edited on
    their own. A new rule moves occurrences to the new time of their date; dates the rule no
    longer gives are deleted, or cancelled when people had RSVP'd. The coming occurrences on
    `skip_dates` are then cancelled (see _skip). A new `picture` (or `remove_picture`, or a new
    `picture_alt`) goes on the coming dates that still show the series' former one; its files
    are deleted only once no date shows them any more."""
    check_fields(fields, SERIES_FIELDS | RULE_FIELDS)
    actor = as_actor(actor)
    require_manager(actor, series.group)
    stored = pictures.picture_store(picture) if picture else None
    try:
        return _series_update(
            series,
            actor=actor,
            tags=tags,
            skip_dates=skip_dates,
            stored=stored,
            remove_picture=remove_picture,
            picture_alt=picture_alt,
            fields=fields,
        )
    except BaseException:
        pictures.picture_discard(stored)
        raise


def _series_update(
    series, *, actor, tags, skip_dates, stored, remove_picture, picture_alt, fields
) -> EventSeries:
    """event_series_update's work, in one transaction; `stored`: the new picture's files."""
    with transaction.atomic():
        series = EventSeries.objects.select_for_update().select_related("group").get(pk=series.pk)
        before = {name: getattr(series, name) for name in fields}
        for name, value in fields.items():
            setattr(series, name, value)
        picture_before = (series.picture.name or "", series.picture_alt)
        _stored, dropped = put_picture(
            series, picture=None, stored=stored, remove=remove_picture, alt=picture_alt
        )
        _validate_series(series)
        changed = {name for name in fields if getattr(series, name) != before[name]}
        picture_changed = set()
        if series.picture.name != picture_before[0]:
            picture_changed.add("picture")
        if series.picture_alt != picture_before[1]:
            picture_changed.add("picture_alt")
        tags_changed = tags is not None and set_tags(series, tags)
        if not changed and not tags_changed and not picture_changed:
            _skip(series, skip_dates, actor=actor)
            return series
        data = changes(
            {name: before[name] for name in changed},
            {name: getattr(series, name) for name in changed},
        )
        # Which picture files is not for the log: that it changed is.
        data.update(dict.fromkeys(picture_changed))
        if tags_changed:
            data["tags"] = sorted(series.tags.values_list("name", flat=True))
        record(actor, "series.updated", series, group_id=series.group_id, data=data)
        now = timezone.now()
        schedule_changed = bool(changed & SCHEDULE_FIELDS)
        if schedule_changed:
            series.materialized_until = None
        series.save()
        moves = _reschedule(series, now) if schedule_changed else {}
        details = {name: getattr(series, name) for name in changed & DETAIL_FIELDS}
        new_tags = list(series.tags.all()) if tags_changed else None
        following = series.occurrences.not_started(now).scheduled().filter(edited_from_series=False)
        for pk in following.order_by("starts_at").values_list("pk", flat=True):
            event = lock_event(pk)
            occurrence_changes = dict(details)
            if pk in moves:
                start = moves[pk]
                if start is None:
                    _remove_occurrence(event, actor=actor)
                    continue
                occurrence_changes.update(
                    starts_at=start, ends_at=start + series.duration, recurrence_id=start
                )
            try:
                apply_event_changes(event, occurrence_changes, actor=actor, tags=new_tags)
            except ServiceError as error:
                when = local_time(event.starts_at, event.timezone).strftime("%Y-%m-%d")
                raise ServiceError(
                    _("The occurrence on %(date)s: %(reason)s")
                    % {"date": when, "reason": " ".join(error.messages)}
                ) from error
            if picture_changed:
                _follow_series_picture(event, series, picture_before, actor=actor)
        event_series_materialize(series=series, now=now)
        _skip(series, skip_dates, actor=actor)
        release_pictures(dropped)
        return series


def event_series_end(*, series: EventSeries, actor, message: str = "") -> EventSeries:
    """Stop repeating (organizers and hosts): no more dates are made; coming dates not edited on
    their own are deleted, or cancelled with `message` when people are going or waiting."""
    actor = as_actor(actor)
    require_manager(actor, series.group)
    with transaction.atomic():
        series = EventSeries.objects.select_for_update().select_related("group").get(pk=series.pk)
        now = timezone.now()
        if not series.is_running:
            return series
        series.ended_at = now
        series.save(update_fields=["ended_at", "updated_at"])
        record(actor, "series.ended", series, group_id=series.group_id)
        series_rsvps_end(series=series, reason=SeriesRsvp.EndReason.SERIES_ENDED)
        message = message.strip() or _("This date is cancelled: the event no longer repeats.")
        coming = series.occurrences.not_started(now).scheduled().filter(edited_from_series=False)
        for pk in coming.order_by("starts_at").values_list("pk", flat=True):
            _remove_occurrence(lock_event(pk), actor=actor, message=message)
        return series
