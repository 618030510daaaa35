"""Writes to the hours ledger and statements: logging, check-in, review, correction, issuing.

Every entry is appended, never edited: a review sets the status once (a conditional UPDATE
from pending, so two coordinators cannot both decide), and a correction appends a reversal and
a new entry. Each service takes the `actor`, runs in one transaction, writes its activity row
(`hours.*`, with the project's group) and tells the volunteer where the notices say so.
"""

from __future__ import annotations

import copy
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import when
from core.activity import record
from core.actors import as_actor, person_of
from core.exceptions import NotAllowed, ServiceError
from groups.models import Group, Membership
from volunteering.hours import notifications as hours_notices
from volunteering.hours.permissions import can_coordinate_hours, can_log_hours
from volunteering.hours.statement import CONTENT_VERSION, content_hash, new_code
from volunteering.models import HoursEntry, HoursStatement, Shift, ShiftSignup, VolunteerProject
from volunteering.models_hours import CHECK_IN_OPENS

MAX_STATEMENT_DAYS = 366 * 10


def _full_clean(entry: HoursEntry) -> None:
    try:
        entry.full_clean(exclude=["volunteer", "project", "logged_by", "reviewed_by"])
    except ValidationError as error:
        raise ServiceError.from_validation_error(error) from error


def _record(actor, verb: str, entry: HoursEntry, **data) -> None:
    record(
        actor=actor,
        verb=verb,
        subject=entry,
        group_id=entry.project.group_id,
        data={"project": entry.project_id, "minutes": entry.minutes, **data},
    )


def _create(entry: HoursEntry) -> HoursEntry:
    _full_clean(entry)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise ServiceError(_("These hours are already recorded.")) from error
    return entry


def hours_entry_log(
    *,
    volunteer,
    project: VolunteerProject,
    worked_on: dt.date,
    minutes: int,
    shift: Shift | None = None,
    description: str = "",
    actor,
) -> HoursEntry:
    """The volunteer logs hours they worked, against a shift they were signed up to (once a
    shift) or a project they signed up to or whose group they belong to. Pending until a
    coordinator reviews it. The actor is the volunteer (or the system, for demo data)."""
    actor = as_actor(actor)
    acting_for_self = actor is not None and (actor.is_system or person_of(actor) == volunteer)
    if not acting_for_self or not can_log_hours(volunteer, project):
        raise NotAllowed(_("You can only log your own hours, for projects you can see."))
    signup = None
    if shift is not None:
        if shift.role.project_id != project.pk:
            raise ServiceError({"shift": _("This shift belongs to another project.")})
        signup = ShiftSignup.objects.filter(
            shift=shift, user=volunteer, status=ShiftSignup.Status.SIGNED_UP
        ).first()
        if signup is None:
            raise ServiceError({"shift": _("You were not signed up to this shift.")})
        if shift.is_cancelled or not shift.has_started():
            raise ServiceError({"shift": _("Hours are logged for shifts that took place.")})
        worked_on = when.local(shift.starts_at, shift.timezone).date()
    else:
        signed_up = ShiftSignup.objects.filter(
            shift__role__project=project, user=volunteer, status=ShiftSignup.Status.SIGNED_UP
        ).exists()
        member = Membership.objects.filter(
            group_id=project.group_id, user=volunteer, status=Membership.Status.ACTIVE
        ).exists()
        if not (signed_up or member):
            raise ServiceError(
                _("Sign up to one of the project's shifts, or join its group, to log hours.")
            )
    with transaction.atomic():
        entry = _create(
            HoursEntry(
                volunteer=volunteer,
                project=project,
                shift=shift,
                signup=signup,
                worked_on=worked_on,
                minutes=minutes,
                description=description,
                source=HoursEntry.Source.LOGGED,
                logged_by=volunteer,
            )
        )
        _record(actor, "hours.logged", entry)
        hours_notices.on_hours_waiting(entry=entry)
    return entry


def shift_check_in(*, signup: ShiftSignup, actor) -> HoursEntry:
    """A coordinator checks a signed-up volunteer in at their shift: the hours entry for the
    shift's length is written, pending review. Checking in twice returns the same entry, also
    when two coordinators check in at once (the sign-up row is locked while looking)."""
    shift = signup.shift
    project = shift.role.project
    if not can_coordinate_hours(actor, project):
        raise NotAllowed(_("Only the project's coordinators check volunteers in."))
    with transaction.atomic():
        signup = ShiftSignup.objects.select_for_update().get(pk=signup.pk)
        existing = HoursEntry.objects.filter(
            volunteer_id=signup.user_id,
            shift=shift,
            source__in=[HoursEntry.Source.LOGGED, HoursEntry.Source.CHECK_IN],
        ).first()
        if existing is not None:
            return existing
        if signup.status != ShiftSignup.Status.SIGNED_UP:
            raise ServiceError(_("Only volunteers signed up to the shift are checked in."))
        if shift.is_cancelled:
            raise ServiceError(_("This shift was cancelled."))
        if timezone.now() < shift.starts_at - CHECK_IN_OPENS:
            raise ServiceError(_("Check-in opens an hour before the shift starts."))
        minutes = int((shift.ends_at - shift.starts_at).total_seconds() // 60)
        entry = _create(
            HoursEntry(
                volunteer_id=signup.user_id,
                project=project,
                shift=shift,
                signup=signup,
                worked_on=when.local(shift.starts_at, shift.timezone).date(),
                minutes=minutes,
                source=HoursEntry.Source.CHECK_IN,
                logged_by=person_of(as_actor(actor)),
            )
        )
        _record(actor, "hours.checked_in", entry, signup=signup.pk)
        hours_notices.on_hours_waiting(entry=entry)
    return entry


def _review(*, entry: HoursEntry, actor, status: str, note: str) -> HoursEntry:
    actor = as_actor(actor)
    if not can_coordinate_hours(actor, entry.project):
        raise NotAllowed(_("Only the project's coordinators review hours."))
    if person_of(actor) is not None and person_of(actor).pk == entry.volunteer_id:
        raise NotAllowed(_("Someone else reviews your own hours."))
    if entry.source == HoursEntry.Source.REVERSAL:
        raise ServiceError(_("A reversal is not reviewed."))
    now = timezone.now()
    reviewed = copy.copy(entry)  # checked as it would be, without touching the caller's
    reviewed.status, reviewed.review_note, reviewed.reviewed_at = status, note.strip(), now
    _full_clean(reviewed)
    with transaction.atomic():
        updated = HoursEntry.objects.filter(pk=entry.pk, status=HoursEntry.Status.PENDING).update(
            status=status,
            reviewed_by=person_of(actor),
            reviewed_at=now,
            review_note=reviewed.review_note,
        )
        if not updated:
            raise ServiceError(_("These hours were already reviewed."))
        entry.refresh_from_db()
        verb = "hours.verified" if status == HoursEntry.Status.VERIFIED else "hours.rejected"
        _record(actor, verb, entry)
        hours_notices.on_hours_reviewed(entry=entry)
    return entry


def hours_entry_verify(*, entry: HoursEntry, actor, note: str = "") -> HoursEntry:
    """A coordinator confirms pending hours: from now on they count."""
    return _review(entry=entry, actor=actor, status=HoursEntry.Status.VERIFIED, note=note)


def hours_entry_reject(*, entry: HoursEntry, actor, note: str) -> HoursEntry:
    """A coordinator turns pending hours down, saying why."""
    return _review(entry=entry, actor=actor, status=HoursEntry.Status.REJECTED, note=note)


def hours_entry_correct(
    *, entry: HoursEntry, minutes: int, note: str, actor, worked_on: dt.date | None = None
) -> tuple[HoursEntry, HoursEntry | None]:
    """A coordinator corrects verified hours: a reversal cancels the entry and, unless
    `minutes` is 0 (the hours were never worked), a verified correction says what is right.
    Returns (reversal, correction or None)."""
    actor = as_actor(actor)
    if not can_coordinate_hours(actor, entry.project):
        raise NotAllowed(_("Only the project's coordinators correct hours."))
    if entry.status != HoursEntry.Status.VERIFIED or entry.source == HoursEntry.Source.REVERSAL:
        raise ServiceError(_("Only verified hours are corrected; review pending ones instead."))
    if not note.strip():
        raise ServiceError({"review_note": _("Say why the hours are corrected.")})
    if minutes < 0:
        raise ServiceError({"minutes": _("Give between 1 minute and 24 hours, or 0 to void.")})
    now, reviewer = timezone.now(), person_of(actor)
    common = {
        "volunteer_id": entry.volunteer_id,
        "project": entry.project,
        "shift_id": entry.shift_id,
        "signup_id": entry.signup_id,
        "logged_by": reviewer,
        "status": HoursEntry.Status.VERIFIED,
        "reviewed_by": reviewer,
        "reviewed_at": now,
        "review_note": note.strip(),
    }
    with transaction.atomic():
        reversal = HoursEntry(
            **common,
            worked_on=entry.worked_on,
            minutes=-entry.minutes,
            source=HoursEntry.Source.REVERSAL,
            reverses=entry,
        )
        _full_clean_reversal(reversal)
        try:
            with transaction.atomic():
                reversal.save()
        except IntegrityError as error:
            raise ServiceError(_("These hours were already corrected.")) from error
        correction = None
        if minutes:
            correction = _create(
                HoursEntry(
                    **common,
                    worked_on=worked_on or entry.worked_on,
                    minutes=minutes,
                    description=entry.description,
                    source=HoursEntry.Source.CORRECTION,
                    corrects=entry,
                )
            )
        _record(
            actor,
            "hours.corrected",
            entry,
            reversal=reversal.pk,
            correction=correction.pk if correction else None,
            new_minutes=minutes,
        )
        hours_notices.on_hours_corrected(entry=entry)
    return reversal, correction


def _full_clean_reversal(reversal: HoursEntry) -> None:
    try:
        reversal.full_clean(
            exclude=["volunteer", "project", "logged_by", "reviewed_by", "reverses", "minutes"]
        )
    except ValidationError as error:
        raise ServiceError.from_validation_error(error) from error


def statement_content(
    *, volunteer, group: Group, period_from: dt.date, period_to: dt.date
) -> tuple[dict, list[int]]:
    """What a statement for the volunteer's verified hours with the group over the period
    says, and the verified entries it counts (two queries)."""
    from volunteering.hours.selectors import statement_rows

    rows, entry_ids = statement_rows(
        volunteer=volunteer, group=group, period_from=period_from, period_to=period_to
    )
    content = {
        "version": CONTENT_VERSION,
        "volunteer": volunteer.display_name.strip() or volunteer.public_name,
        "organization": group.name,
        "period": {"from": period_from.isoformat(), "to": period_to.isoformat()},
        "projects": rows,
        "total_minutes": sum(row["minutes"] for row in rows),
        "issued_on": timezone.localdate().isoformat(),
    }
    return content, entry_ids


def hours_statement_issue(
    *, volunteer, group: Group, period_from: dt.date, period_to: dt.date, actor
) -> HoursStatement:
    """The volunteer asks for a statement of their verified hours with a group over a period;
    its content is fixed now, with a fresh code and the hash that binds them."""
    actor = as_actor(actor)
    if actor is None or (person_of(actor) != volunteer and not actor.is_system):
        raise NotAllowed(_("Only the volunteer asks for their statement."))
    if period_to < period_from:
        raise ServiceError({"period_to": _("The period must end on or after its start.")})
    if (period_to - period_from).days > MAX_STATEMENT_DAYS:
        raise ServiceError({"period_from": _("A statement covers ten years at most.")})
    content, entry_ids = statement_content(
        volunteer=volunteer, group=group, period_from=period_from, period_to=period_to
    )
    if not entry_ids:
        raise ServiceError(_("You have no verified hours with this group in this period."))
    with transaction.atomic():
        code = new_code()
        statement = HoursStatement.objects.create(
            code=code,
            volunteer=volunteer,
            group=group,
            period_from=period_from,
            period_to=period_to,
            content=content,
            content_hash=content_hash(code=code, content=content),
        )
        statement.entries.set(entry_ids)
        record(
            actor=actor,
            verb="hours.statement_issued",
            subject=statement,
            group_id=group.pk,
            data={"entries": len(entry_ids), "minutes": content["total_minutes"]},
        )
    return statement


def statement_verify_url(statement: HoursStatement) -> str:
    """The address printed on the statement (SITE_URL + the verification page)."""
    path = reverse("volunteering:statement_verify", kwargs={"code": statement.code})
    return f"{settings.SITE_URL}{path}"
