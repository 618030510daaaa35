"""What the volunteering app tells people, and when.

The services call these hooks inside their transaction, right after the write that caused them,
so a notice or reminder is written (moved, cancelled) atomically with the sign-up or shift
change. At send time the renderers re-check that the message still holds (still signed up, the
shift still on, the recipient still allowed to see it).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import when as core_when
from core.refs import dedupe_key, ref, ref_for, ref_pk, ref_pk_sql
from groups.permissions import can_manage_events, can_view_group_content
from notifications import services as outbox
from notifications.registry import Kind, Rendered, register
from volunteering.ical import full_location, public_location, shift_ics, shift_title
from volunteering.models import Shift, ShiftSignup

REMINDER = "volunteering.shift_reminder"
CONFIRMED = "volunteering.shift_confirmed"
PROMOTED = "volunteering.shift_promoted"
CHANGED = "volunteering.shift_changed"
CANCELLED = "volunteering.shift_cancelled"
WITHDREW = "volunteering.volunteer_withdrew"

SIGNED_UP_KINDS = (REMINDER, CONFIRMED, PROMOTED, CHANGED)


def _version(value: dt.datetime | None) -> str:
    return str(int((value or timezone.now()).timestamp() * 1_000_000))


def _signed_up_ids(shift: Shift, statuses=(ShiftSignup.Status.SIGNED_UP,)):
    return ShiftSignup.objects.filter(shift=shift, status__in=statuses).values("user_id")


# --- hooks -------------------------------------------------------------------------------------


def on_signup_confirmed(*, signup: ShiftSignup) -> None:
    """A place was confirmed: the confirmation (with the .ics) and the reminders."""
    _place_notices(signup, CONFIRMED)


def on_signup_promoted(*, signup: ShiftSignup) -> None:
    """A waitlisted volunteer got a place: the notice and the reminders."""
    _place_notices(signup, PROMOTED)


def _place_notices(signup: ShiftSignup, kind: str) -> None:
    subject = ref_for(Shift, signup.shift_id)
    outbox.notification_schedule(
        recipient=signup.user,
        kind=kind,
        subject=subject,
        dedupe_key=dedupe_key(kind, subject, signup.user_id, _version(signup.updated_at)),
    )
    outbox.reminders_schedule(
        recipient_ids=[signup.user_id],
        kind=REMINDER,
        subject=subject,
        starts_at=signup.shift.starts_at,
    )


def on_signup_withdrawn(*, signup: ShiftSignup, coordinator_ids) -> None:
    """The volunteer withdrew: their reminders stop; the coordinators are told."""
    subject = ref_for(Shift, signup.shift_id)
    outbox.notifications_cancel(subject=subject, kinds=SIGNED_UP_KINDS, recipient=signup.user)
    outbox.notification_schedule_many(
        recipient_ids=coordinator_ids,
        kind=WITHDREW,
        subject=subject,
        dedupe_key=dedupe_key(WITHDREW, subject, signup.user_id, _version(signup.updated_at)),
        context={"volunteer": signup.user_id},
        exclude_user_id=signup.user_id,
    )


def on_signup_removed(*, signup: ShiftSignup) -> None:
    """A sign-up ended without a notice of its own (a withdrawal by a coordinator)."""
    outbox.notifications_cancel(
        subject=ref_for(Shift, signup.shift_id), kinds=SIGNED_UP_KINDS, recipient=signup.user
    )


def reminder_subjects(*, user, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    return [
        (ref_for(Shift, pk), starts_at)
        for pk, starts_at in Shift.objects.filter(
            signups__user=user,
            signups__status=ShiftSignup.Status.SIGNED_UP,
            status=Shift.Status.SCHEDULED,
            starts_at__gt=now,
        ).values_list("pk", "starts_at")
    ]


def on_shift_changed(*, shift: Shift, changed_fields: set[str], actor=None) -> None:
    """Time or place changed: reminders move; the volunteers signed up are told (but the
    person who changed it)."""
    subject = ref(shift)
    if "starts_at" in changed_fields:
        outbox.reminders_move(subject=subject, starts_at=shift.starts_at)
        outbox.reminders_schedule(
            recipient_ids=_signed_up_ids(shift),
            kind=REMINDER,
            subject=subject,
            starts_at=shift.starts_at,
        )
    outbox.notifications_cancel(subject=subject, kinds=[CHANGED])
    outbox.notification_schedule_many(
        recipient_ids=_signed_up_ids(shift),
        kind=CHANGED,
        subject=subject,
        dedupe_key=dedupe_key(CHANGED, subject, _version(shift.updated_at)),
        context={"changed": sorted(changed_fields)},
        actor=actor,
    )


def on_shift_cancelled(*, shift: Shift, message: str, actor=None) -> None:
    """The shift was cancelled: reminders stop; volunteers signed up or waiting are told (but
    the person who cancelled it)."""
    subject = ref(shift)
    outbox.notifications_cancel(subject=subject, kinds=SIGNED_UP_KINDS)
    outbox.notification_schedule_many(
        recipient_ids=_signed_up_ids(
            shift, statuses=(ShiftSignup.Status.SIGNED_UP, ShiftSignup.Status.WAITLISTED)
        ),
        kind=CANCELLED,
        subject=subject,
        dedupe_key=dedupe_key(CANCELLED, subject),
        context={"message": message},
        actor=actor,
    )


# --- rendering ---------------------------------------------------------------------------------


def when(shift: Shift, value: dt.datetime | None = None) -> str:
    return core_when.moment(value or shift.starts_at, shift.timezone, style=core_when.LONG)


def _shift_id(subject: str) -> int | None:
    return ref_pk(subject, Shift)


def _still_holds(kind: str, shift: Shift, signup: ShiftSignup | None, now) -> bool:
    if kind == CANCELLED:
        return shift.is_cancelled
    if shift.is_cancelled:
        return False
    if kind == WITHDREW:
        return shift.ends_at > now
    if signup is None or signup.status != ShiftSignup.Status.SIGNED_UP:
        return False
    if kind == REMINDER:
        return shift.starts_at > now
    return shift.ends_at > now


def render_shift_notices(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """Every shift notice: to volunteers about their own sign-up, and to coordinators about a
    volunteer who withdrew (only while they still manage the group)."""
    now = timezone.now()
    rows = list(rows)
    shifts = Shift.objects.select_related("role__project__group").in_bulk(
        {_shift_id(r.subject) for r in rows} - {None}
    )
    signups = {
        (s.shift_id, s.user_id): s
        for s in ShiftSignup.objects.filter(
            shift_id__in=shifts, user_id__in={r.recipient_id for r in rows}
        )
    }
    result: dict[int, Rendered | None] = {}
    for row in rows:
        result[row.pk] = None
        shift = shifts.get(_shift_id(row.subject))
        if shift is None:
            continue
        user = row.recipient
        group = shift.role.project.group
        signup = signups.get((shift.pk, user.pk))
        if row.kind == WITHDREW:
            if not can_manage_events(user, group):
                continue
        elif signup is None or not can_view_group_content(user, group):
            continue
        if delivering and not _still_holds(row.kind, shift, signup, now):
            continue
        result[row.pk] = _render_one(row, shift, signup)
    return result


def _render_one(row, shift: Shift, signup: ShiftSignup | None) -> Rendered:
    signed_up = signup is not None and signup.status == ShiftSignup.Status.SIGNED_UP
    show_location = signed_up or row.kind == WITHDREW
    title = shift_title(shift)
    context = {
        "shift": shift,
        "title": title,
        "project": shift.role.project,
        "group": shift.role.project.group,
        "when": when(shift),
        "ends": when(shift, shift.ends_at),
        "location": full_location(shift) if show_location else public_location(shift),
        "kind": row.kind.split(".", 1)[1],
        "message": row.context.get("message", ""),
    }
    url = shift.get_absolute_url()
    attachments = ()
    if row.kind == REMINDER:
        minutes = row.context.get("lead_minutes", 0)
        subject = _("Reminder: %(title)s, %(when)s") % {"title": title, "when": context["when"]}
        context["lead_minutes"] = minutes
    elif row.kind in (CONFIRMED, PROMOTED):
        subject = (
            _("A place opened up: you're volunteering at %(title)s")
            if row.kind == PROMOTED
            else _("You're signed up: %(title)s")
        ) % {"title": title}
        content = shift_ics(shift, show_location=True, base_url=settings.SITE_URL)
        attachments = ((f"shift-{shift.pk}.ics", content, "text/calendar; charset=utf-8"),)
    elif row.kind == CHANGED:
        subject = _("Changed: %(title)s") % {"title": title}
    elif row.kind == CANCELLED:
        subject = _("Cancelled: %(title)s, %(when)s") % {"title": title, "when": context["when"]}
    else:
        subject = _("A volunteer withdrew from %(title)s, %(when)s") % {
            "title": title,
            "when": context["when"],
        }
    return Rendered(
        subject=subject,
        url=url,
        template="emails/shift_notice",
        context=context,
        summary=context["when"],
        attachments=attachments,
    )


def inbox_visible(user) -> Q:
    """The recipient may still see the shift's project."""
    shift_pk = ref_pk_sql(OuterRef("subject"), Shift)
    return Q(Exists(Shift.objects.visible_to(user).filter(pk=shift_pk)))


def _kind(key, label, description, **extra) -> None:
    register(
        Kind(
            key=key,
            label=label,
            description=description,
            render=render_shift_notices,
            inbox_visible=inbox_visible,
            **extra,
        )
    )


_kind(
    REMINDER,
    gettext_lazy("Shift reminders"),
    gettext_lazy("Before shifts you signed up for, at the times you choose below."),
    uses_reminder_offsets=True,
    reminder_subjects=reminder_subjects,
)
_kind(
    CONFIRMED,
    gettext_lazy("Shift confirmations"),
    gettext_lazy("When you sign up for a shift, with the shift for your calendar."),
)
_kind(
    PROMOTED,
    gettext_lazy("Shift places from the waitlist"),
    gettext_lazy("When a place on a shift opens up for you."),
)
_kind(
    CHANGED,
    gettext_lazy("Shift changes"),
    gettext_lazy("When the time or place of your shift changes."),
)
_kind(
    CANCELLED,
    gettext_lazy("Cancelled shifts"),
    gettext_lazy("When a shift you signed up or waited for is cancelled."),
)
_kind(
    WITHDREW,
    gettext_lazy("Volunteers who withdraw"),
    gettext_lazy("For coordinators: when a volunteer withdraws from a shift."),
)
