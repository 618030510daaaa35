"""Every write to a care calendar: opening and editing it, coordinators, the invitation link,
slots (dated and repeating), helpers taking and releasing slots, weekly caps, updates, and the
empty-slot alerts.

Locks go in one order everywhere: group, calendar, slot (the group first, as groups.services
and the RSVP service do), so a helper taking a slot while leaving the group, or two helpers
racing for the last place, are decided one at a time; the places themselves are taken with
core.capacity's conditional UPDATE behind a CheckConstraint.

Activity rows name ids only, and carry no group: a care calendar may be for invited people
only, and the group's history must not tell its organizers that it exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import activity, when
from core.actors import Actor, as_actor, person_of
from core.capacity import seats_release, seats_take
from core.exceptions import NotAllowed, NotFound, ServiceError
from core.recurrence import occurrences_between
from groups.models import Group
from groups.permissions import is_active_member
from volunteering import care_notifications as notices
from volunteering.care.permissions import (
    can_coordinate_care,
    can_post_care_update,
    can_view_care_calendar,
)
from volunteering.care_models import (
    CALENDAR_FIELDS,
    CareCalendar,
    CareCoordinator,
    CareHelper,
    CareSignup,
    CareSlot,
    CareSlotSeries,
    CareUpdate,
    new_invitation_token,
)

EMPTY_SLOT_NOTICE_AHEAD = dt.timedelta(hours=48)
SLOT_FIELDS = ("kind", "title", "starts_at", "ends_at", "capacity")
SERIES_FIELDS = (
    "kind",
    "title",
    "rrule",
    "first_starts_at",
    "duration",
    "capacity",
    "horizon_days",
)


def _clean(obj, *, exclude: Iterable[str] = ()) -> None:
    for name in ("starts_at", "ends_at", "first_starts_at"):
        value = getattr(obj, name, None)
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            raise ServiceError({name: _("Give the time with its time zone.")})
    try:
        obj.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as error:
        raise ServiceError.from_validation_error(error) from error


def _record(actor, verb: str, subject, data: dict | None = None) -> None:
    activity.record(actor=actor, verb=verb, subject=subject, group_id=None, data=data)


def _check_fields(fields: dict, allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise TypeError(f"unexpected fields: {', '.join(unknown)}")


def _lock_calendar(pk: int) -> CareCalendar:
    """The calendar row locked until the transaction ends, after its group's row."""
    group_id = CareCalendar.objects.values_list("group_id", flat=True).get(pk=pk)
    list(Group.objects.select_for_update().filter(pk=group_id).values_list("pk"))
    return CareCalendar.objects.select_for_update(of=("self",)).select_related("group").get(pk=pk)


def _require_coordinator(actor, calendar: CareCalendar) -> None:
    if not can_coordinate_care(actor, calendar):
        raise NotAllowed(_("Only the calendar's coordinators may do this."))


def _require_open(calendar: CareCalendar) -> None:
    if not calendar.is_open:
        raise ServiceError(_("This care calendar is closed."))


# --- calendars -----------------------------------------------------------------------------


def _recipient_by_email(group: Group, email: str):
    """The group's active member with this email address; anyone else (no account, not in the
    group) gets one answer, so the form tells nobody who has an account."""
    user = (
        get_user_model()
        .objects.filter(email__iexact=email.strip(), deleted_at__isnull=True)
        .first()
    )
    if user is None or not is_active_member(user, group):
        raise ServiceError({"recipient_email": _("Nobody in the group has this email address.")})
    return user


def care_calendar_create(
    *, actor, group: Group, recipient=None, recipient_email: str = "", **fields
) -> CareCalendar:
    """Open a care calendar in a group, for one of its members (`recipient`, or their email)
    or for someone without an account. The person opening it (an active member of the group)
    becomes its first coordinator."""
    _check_fields(fields, CALENDAR_FIELDS)
    actor = as_actor(actor)
    person = person_of(actor)
    if actor is None or actor.is_client:
        raise NotAllowed
    if not actor.is_system and not is_active_member(person, group):
        raise NotAllowed(_("Join the group to open a care calendar in it."))
    if recipient is None and (recipient_email or "").strip():
        recipient = _recipient_by_email(group, recipient_email)
    with transaction.atomic():
        calendar = CareCalendar(group=group, recipient=recipient, created_by=person, **fields)
        _clean(calendar, exclude=["code", "invitation_token"])
        calendar.save()
        if person is not None:
            CareCoordinator.objects.create(calendar=calendar, user=person)
        _record(actor, "care_calendar.created", calendar, {"visibility": calendar.visibility})
        return calendar


def care_calendar_update(*, calendar: CareCalendar, actor, **fields) -> CareCalendar:
    """Change what a calendar says; coordinators only. The log names the fields, not values."""
    _check_fields(fields, CALENDAR_FIELDS)
    with transaction.atomic():
        calendar = _lock_calendar(calendar.pk)
        _require_coordinator(actor, calendar)
        changed = sorted(name for name, value in fields.items() if getattr(calendar, name) != value)
        for name, value in fields.items():
            setattr(calendar, name, value)
        _clean(calendar, exclude=["code", "invitation_token"])
        calendar.save()
        if changed:
            _record(actor, "care_calendar.updated", calendar, {"fields": changed})
        return calendar


def care_calendar_close(*, calendar: CareCalendar, actor) -> CareCalendar:
    """Close a calendar: coming slots are cancelled (their helpers' reminders with them) and
    the invitation link stops working."""
    with transaction.atomic():
        calendar = _lock_calendar(calendar.pk)
        _require_coordinator(actor, calendar)
        if not calendar.is_open:
            return calendar
        for slot in CareSlot.objects.filter(
            calendar=calendar, status=CareSlot.Status.OPEN, starts_at__gt=timezone.now()
        ):
            _cancel_slot(slot)
        CareSlotSeries.objects.filter(calendar=calendar, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )
        calendar.status = CareCalendar.Status.CLOSED
        calendar.invitation_token = new_invitation_token()
        calendar.save(update_fields=["status", "invitation_token", "updated_at"])
        _record(actor, "care_calendar.closed", calendar)
        return calendar


def care_invitation_reset(*, calendar: CareCalendar, actor) -> CareCalendar:
    """A new invitation link; the old one stops working (people who joined stay)."""
    with transaction.atomic():
        calendar = _lock_calendar(calendar.pk)
        _require_coordinator(actor, calendar)
        calendar.invitation_token = new_invitation_token()
        calendar.save(update_fields=["invitation_token", "updated_at"])
        _record(actor, "care_calendar.invitation_reset", calendar)
        return calendar


def care_invitation_accept(*, calendar: CareCalendar, user, token: str) -> CareHelper:
    """Someone who was given the invitation link joins the calendar's helpers (any signed-in
    person: the recipient's friends need not belong to the group)."""
    if person_of(user) is None:
        raise NotAllowed(_("Log in to accept the invitation."))
    with transaction.atomic():
        calendar = _lock_calendar(calendar.pk)
        if not token or token != calendar.invitation_token or not calendar.is_open:
            raise NotFound
        helper, _created = CareHelper.objects.get_or_create(calendar=calendar, user=user)
        if not helper.invited:
            helper.invited = True
            helper.save(update_fields=["invited"])
            _record(user, "care_helper.joined", calendar, {"user": user.pk})
        return helper


# --- coordinators --------------------------------------------------------------------------


def care_coordinator_add(*, calendar: CareCalendar, email: str, actor) -> CareCoordinator:
    """Add a coordinator by the email of their account: someone who may already open the
    calendar (a member of the group, or for an invited-only calendar someone who joined it).
    Anyone else gets the same answer as an unknown address."""
    with transaction.atomic():
        calendar = _lock_calendar(calendar.pk)
        _require_coordinator(actor, calendar)
        user = (
            get_user_model()
            .objects.filter(email__iexact=(email or "").strip(), deleted_at__isnull=True)
            .first()
        )
        if user is None or not can_view_care_calendar(user, calendar):
            raise ServiceError(
                {"email": _("Nobody who can see this calendar has this email address.")}
            )
        coordinator, created = CareCoordinator.objects.get_or_create(calendar=calendar, user=user)
        if created:
            _record(actor, "care_coordinator.added", calendar, {"user": user.pk})
        return coordinator


def care_coordinator_remove(*, coordinator: CareCoordinator, actor) -> None:
    """Remove a coordinator (another coordinator, or themselves); never the last one."""
    with transaction.atomic():
        calendar = _lock_calendar(coordinator.calendar_id)
        _require_coordinator(actor, calendar)
        if CareCoordinator.objects.filter(calendar=calendar).count() <= 1:
            raise ServiceError(_("A care calendar needs at least one coordinator."))
        CareCoordinator.objects.filter(pk=coordinator.pk).delete()
        _record(actor, "care_coordinator.removed", calendar, {"user": coordinator.user_id})


# --- slots -----------------------------------------------------------------------------------


def care_slot_create(*, calendar: CareCalendar, actor, **fields) -> CareSlot:
    """A dated slot; coordinators only."""
    _check_fields(fields, SLOT_FIELDS)
    with transaction.atomic():
        calendar = _lock_calendar(calendar.pk)
        _require_coordinator(actor, calendar)
        _require_open(calendar)
        slot = CareSlot(calendar=calendar, **fields)
        _clean(slot)
        if slot.starts_at <= timezone.now():
            raise ServiceError({"starts_at": _("Choose a time that is still ahead.")})
        slot.save()
        _record(actor, "care_slot.created", slot, {"calendar": calendar.pk})
        return slot


def care_slot_update(*, slot: CareSlot, actor, **fields) -> CareSlot:
    """Change a slot's time, kind or number of helpers; helpers' reminders move with it."""
    _check_fields(fields, SLOT_FIELDS)
    with transaction.atomic():
        calendar = _lock_calendar(slot.calendar_id)
        _require_coordinator(actor, calendar)
        slot = CareSlot.objects.select_for_update().get(pk=slot.pk)
        slot.calendar = calendar
        old_start = slot.starts_at
        for name, value in fields.items():
            setattr(slot, name, value)
        _clean(slot)
        slot.save()
        if slot.starts_at != old_start:
            notices.on_slot_moved(slot=slot)
        _record(actor, "care_slot.updated", slot, {"fields": sorted(fields)})
        return slot


def _cancel_slot(slot: CareSlot) -> None:
    CareSignup.objects.filter(slot=slot, status=CareSignup.Status.CONFIRMED).update(
        status=CareSignup.Status.CANCELLED, updated_at=timezone.now()
    )
    CareSlot.objects.filter(pk=slot.pk).update(
        status=CareSlot.Status.CANCELLED, seats_taken=0, updated_at=timezone.now()
    )
    notices.on_slot_cancelled(slot=slot)


def care_slot_cancel(*, slot: CareSlot, actor) -> CareSlot:
    """Cancel a slot; its helpers lose their place (and with it the address, unless they hold
    another slot) and their reminders."""
    with transaction.atomic():
        calendar = _lock_calendar(slot.calendar_id)
        _require_coordinator(actor, calendar)
        slot = CareSlot.objects.select_for_update().get(pk=slot.pk)
        if slot.is_cancelled:
            return slot
        _cancel_slot(slot)
        _record(actor, "care_slot.cancelled", slot, {"calendar": calendar.pk})
        slot.refresh_from_db()
        return slot


def care_slot_series_create(*, calendar: CareCalendar, actor, **fields) -> CareSlotSeries:
    """Repeating slots (core.recurrence's RRULE, in the calendar's time zone), made as ordinary
    slots up to the horizon now and by the hourly task after."""
    _check_fields(fields, SERIES_FIELDS)
    with transaction.atomic():
        calendar = _lock_calendar(calendar.pk)
        _require_coordinator(actor, calendar)
        _require_open(calendar)
        series = CareSlotSeries(calendar=calendar, **fields)
        _clean(series)
        series.save()
        _record(actor, "care_series.created", series, {"calendar": calendar.pk})
        _materialize(series, calendar=calendar)
        return series


def care_slot_series_end(*, series: CareSlotSeries, actor) -> CareSlotSeries:
    """Stop repeating: coming slots nobody took are deleted, taken ones stay."""
    with transaction.atomic():
        calendar = _lock_calendar(series.calendar_id)
        _require_coordinator(actor, calendar)
        now = timezone.now()
        CareSlot.objects.filter(series=series, starts_at__gt=now, seats_taken=0).delete()
        CareSlotSeries.objects.filter(pk=series.pk).update(ended_at=now)
        _record(actor, "care_series.ended", series, {"calendar": calendar.pk})
        series.refresh_from_db()
        return series


def _materialize(series: CareSlotSeries, *, calendar: CareCalendar, now=None) -> int:
    now = now or timezone.now()
    if series.ended_at is not None or not calendar.is_open:
        return 0
    until = now + dt.timedelta(days=series.horizon_days)
    existing = set(CareSlot.objects.filter(series=series).values_list("recurrence_id", flat=True))
    new = [
        CareSlot(
            calendar=calendar,
            series=series,
            recurrence_id=start,
            kind=series.kind,
            title=series.title,
            starts_at=start,
            ends_at=start + series.duration,
            capacity=series.capacity,
        )
        for start in occurrences_between(
            rule=series.rrule,
            first_starts_at=series.first_starts_at,
            timezone=calendar.timezone,
            after=max(now, series.first_starts_at),
            before=until,
        )
        if start not in existing
    ]
    CareSlot.objects.bulk_create(new, ignore_conflicts=True)
    CareSlotSeries.objects.filter(pk=series.pk).update(materialized_until=until)
    return len(new)


def care_slot_series_materialize(*, series: CareSlotSeries) -> int:
    """Make the series' coming slots up to its horizon (safe to run twice)."""
    with transaction.atomic():
        calendar = _lock_calendar(series.calendar_id)
        series = CareSlotSeries.objects.get(pk=series.pk)
        return _materialize(series, calendar=calendar)


# --- helpers taking and releasing slots -----------------------------------------------------


def _helper_acting(actor, user):
    if person_of(user) is None:
        raise NotAllowed(_("Log in to help."))
    actor = as_actor(actor) if actor is not None else as_actor(user)
    if actor is None or not (actor.is_system or (actor.is_person and actor.user_id == user.pk)):
        raise NotAllowed(_("People take slots for themselves."))
    return actor


def _week_of(slot: CareSlot, calendar: CareCalendar) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday in the calendar's time zone, around the slot's start."""
    zone = when.zone(calendar.timezone)
    day = slot.starts_at.astimezone(zone).date()
    monday = day - dt.timedelta(days=day.weekday())
    start = dt.datetime.combine(monday, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(0), tzinfo=zone)
    return start, end


def _require_within_weekly_limit(calendar: CareCalendar, slot: CareSlot, user) -> None:
    limit = (
        CareHelper.objects.filter(calendar=calendar, user=user)
        .values_list("weekly_limit", flat=True)
        .first()
    )
    if not limit:
        return
    start, end = _week_of(slot, calendar)
    taken = CareSignup.objects.filter(
        user=user,
        status=CareSignup.Status.CONFIRMED,
        slot__calendar=calendar,
        slot__status=CareSlot.Status.OPEN,
        slot__starts_at__gte=start,
        slot__starts_at__lt=end,
    ).count()
    if taken >= limit:
        raise ServiceError(
            _("You asked to take at most %(limit)s slots a week here, and have that many.")
            % {"limit": limit}
        )


def care_slot_take(*, slot: CareSlot, user, actor=None) -> CareSignup:
    """The helper takes a place on a slot: refused when the slot has all the helpers it needs,
    has started or was cancelled, or when the helper's own weekly cap is reached. The helper
    acts for themselves (the system may, for demo data)."""
    actor = _helper_acting(actor, user)
    with transaction.atomic():
        calendar = _lock_calendar(slot.calendar_id)
        if not can_view_care_calendar(user, calendar):
            raise NotFound
        _require_open(calendar)
        slot = CareSlot.objects.get(pk=slot.pk)
        slot.calendar = calendar
        if slot.is_cancelled:
            raise ServiceError(_("This slot was cancelled."))
        if slot.has_started():
            raise ServiceError(_("This slot has already started."))
        signup = CareSignup.objects.filter(slot=slot, user=user).first()
        if signup is not None and signup.is_confirmed:
            return signup
        _require_within_weekly_limit(calendar, slot, user)
        if not seats_take(model=CareSlot, pk=slot.pk, seats=1):
            raise ServiceError(_("This slot already has all the helpers it needs."))
        if signup is None:
            signup = CareSignup(slot=slot, user=user)
        signup.status = CareSignup.Status.CONFIRMED
        signup.save()
        signup.slot = slot
        notices.on_signup_confirmed(signup=signup)
        _record(actor, "care_signup.taken", signup, {"slot": slot.pk, "calendar": calendar.pk})
        return signup


def care_slot_release(*, signup: CareSignup, actor) -> CareSignup:
    """Give a slot back before it starts: the helper themselves, or a coordinator. The place
    opens again for someone else."""
    actor = as_actor(actor)
    with transaction.atomic():
        slot_row = CareSlot.objects.values("calendar_id").get(pk=signup.slot_id)
        calendar = _lock_calendar(slot_row["calendar_id"])
        signup = CareSignup.objects.select_related("slot").get(pk=signup.pk)
        own = actor is not None and actor.is_person and actor.user_id == signup.user_id
        if actor is None or not (own or actor.is_system or can_coordinate_care(actor, calendar)):
            raise NotAllowed(_("Only the helper or a coordinator may give this slot back."))
        if not signup.is_confirmed:
            return signup
        if signup.slot.has_started():
            raise ServiceError(_("This slot has already started."))
        signup.status = CareSignup.Status.RELEASED
        signup.save(update_fields=["status", "updated_at"])
        seats_release(model=CareSlot, pk=signup.slot_id, seats=1)
        notices.on_signup_ended(signup=signup)
        _record(
            actor,
            "care_signup.released",
            signup,
            {"slot": signup.slot_id, "calendar": calendar.pk, "helper": signup.user_id},
        )
        return signup


def care_helper_limit_set(*, calendar: CareCalendar, user, weekly_limit: int | None):
    """The helper's own cap on slots a week for this calendar (None: no cap). Slots already
    taken stay; the cap applies to the next ones."""
    if person_of(user) is None:
        raise NotAllowed
    with transaction.atomic():
        calendar = _lock_calendar(calendar.pk)
        if not can_view_care_calendar(user, calendar):
            raise NotFound
        helper = CareHelper.objects.filter(calendar=calendar, user=user).first() or CareHelper(
            calendar=calendar, user=user
        )
        helper.weekly_limit = weekly_limit
        _clean(helper, exclude=["calendar", "user"])
        helper.save()
        return helper


# --- updates and alerts ----------------------------------------------------------------------


def care_update_post(*, calendar: CareCalendar, actor, body: str, is_thanks: bool = False):
    """The recipient or a coordinator writes to the helpers; each helper with a confirmed slot
    gets a notice."""
    with transaction.atomic():
        calendar = _lock_calendar(calendar.pk)
        if not can_post_care_update(actor, calendar):
            raise NotAllowed(_("Only the person helped and the coordinators post updates."))
        update = CareUpdate(
            calendar=calendar, author=person_of(actor), body=body or "", is_thanks=is_thanks
        )
        if not update.body.strip():
            raise ServiceError({"body": _("Write the update.")})
        _clean(update, exclude=["calendar", "author"])
        update.save()
        notices.on_update_posted(update=update)
        _record(actor, "care_update.posted", update, {"calendar": calendar.pk})
        return update


def care_empty_slots_alert(*, now: dt.datetime | None = None) -> int:
    """Tell coordinators about slots that start within 48 hours and nobody has taken (run
    hourly; a slot is announced once, by its dedupe key)."""
    now = now or timezone.now()
    slots = CareSlot.objects.filter(
        status=CareSlot.Status.OPEN,
        seats_taken=0,
        starts_at__gt=now,
        starts_at__lte=now + EMPTY_SLOT_NOTICE_AHEAD,
        calendar__status=CareCalendar.Status.OPEN,
    ).select_related("calendar")
    written = 0
    with transaction.atomic():
        for slot in slots:
            written += notices.on_slot_empty(slot=slot)
    return written


# --- personal data ----------------------------------------------------------------------------


def care_person_erase(*, user) -> None:
    """An account is being deleted: its coming slots are released through the service (so the
    places open again), it stops coordinating (a calendar it alone ran is closed), it is no
    longer the named recipient, and its weekly caps and invitations go."""
    system = Actor.system("account deleted")
    coming = CareSignup.objects.filter(
        user=user, status=CareSignup.Status.CONFIRMED, slot__starts_at__gt=timezone.now()
    )
    for signup in coming.order_by("slot__starts_at"):
        care_slot_release(signup=signup, actor=system)
    for coordinator in CareCoordinator.objects.filter(user=user).select_related("calendar"):
        calendar = coordinator.calendar
        if CareCoordinator.objects.filter(calendar=calendar).count() <= 1:
            care_calendar_close(calendar=calendar, actor=system)
        with transaction.atomic():
            CareCoordinator.objects.filter(pk=coordinator.pk).delete()
    CareCalendar.objects.filter(recipient=user).update(recipient=None)
    CareHelper.objects.filter(user=user).delete()
