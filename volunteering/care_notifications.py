"""What care calendars tell people, and when: reminders before a helper's slot (at the member's
own lead times), an alert to coordinators when a slot is still empty 48 hours ahead, and the
updates and thanks the recipient or a coordinator posts to the helpers.

The care services call the hooks inside their transaction. The renderers re-check at send time
that the notice still holds (the place still confirmed, the slot still on, the recipient still
allowed to open the calendar) and ask `can_see_care_private` before an address goes in a mail.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import when
from core.refs import dedupe_key, ref, ref_for, ref_pk, ref_pk_sql
from notifications import services as outbox
from notifications.registry import Kind, Rendered, register
from volunteering.care.permissions import (
    can_see_care_private,
    can_view_care_calendar,
    care_facts,
)
from volunteering.care_models import (
    CareCalendar,
    CareCoordinator,
    CareSignup,
    CareSlot,
    CareUpdate,
)

REMINDER = "volunteering.care_slot_reminder"
EMPTY_SLOT = "volunteering.care_empty_slot"
UPDATE = "volunteering.care_update"


# --- hooks ---------------------------------------------------------------------------------


def on_signup_confirmed(*, signup: CareSignup) -> None:
    """A helper took a slot: reminders at their own lead times."""
    outbox.reminders_schedule(
        recipient_ids=[signup.user_id],
        kind=REMINDER,
        subject=ref_for(CareSlot, signup.slot_id),
        starts_at=signup.slot.starts_at,
    )


def on_signup_ended(*, signup: CareSignup) -> None:
    """A helper gave the slot back: their reminders go."""
    outbox.notifications_cancel(
        subject=ref_for(CareSlot, signup.slot_id), kinds=[REMINDER], recipient=signup.user
    )


def on_slot_cancelled(*, slot: CareSlot) -> None:
    outbox.notifications_cancel(subject=ref(slot), kinds=[REMINDER, EMPTY_SLOT])


def on_slot_moved(*, slot: CareSlot) -> None:
    subject = ref(slot)
    outbox.reminders_move(subject=subject, starts_at=slot.starts_at)
    outbox.reminders_schedule(
        recipient_ids=CareSignup.objects.filter(
            slot=slot, status=CareSignup.Status.CONFIRMED
        ).values("user_id"),
        kind=REMINDER,
        subject=subject,
        starts_at=slot.starts_at,
    )


def helpers_of(calendar: CareCalendar):
    """People holding a confirmed place on a slot of the calendar that is not cancelled."""
    return CareSignup.objects.filter(
        slot__calendar=calendar,
        slot__status=CareSlot.Status.OPEN,
        status=CareSignup.Status.CONFIRMED,
    ).values("user_id")


def on_update_posted(*, update: CareUpdate) -> None:
    """An update or thanks: one notice per helper (one read, one insert)."""
    subject = ref(update)
    outbox.notification_schedule_many(
        recipient_ids=helpers_of(update.calendar),
        kind=UPDATE,
        subject=subject,
        dedupe_key=dedupe_key(UPDATE, subject),
        exclude_user_id=update.author_id,
    )


def on_slot_empty(*, slot: CareSlot) -> int:
    """The slot starts within 48 hours and nobody took it: its coordinators are told, once."""
    subject = ref(slot)
    return outbox.notification_schedule_many(
        recipient_ids=CareCoordinator.objects.filter(calendar_id=slot.calendar_id).values(
            "user_id"
        ),
        kind=EMPTY_SLOT,
        subject=subject,
        dedupe_key=dedupe_key(EMPTY_SLOT, subject, int(slot.starts_at.timestamp())),
    )


def reminder_subjects(*, user, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """The coming slots the user holds, for reminders at newly chosen lead times."""
    return [
        (ref_for(CareSlot, pk), starts_at)
        for pk, starts_at in CareSlot.objects.filter(
            signups__user=user,
            signups__status=CareSignup.Status.CONFIRMED,
            status=CareSlot.Status.OPEN,
            calendar__status=CareCalendar.Status.OPEN,
            starts_at__gt=now,
        ).values_list("pk", "starts_at")
    ]


# --- what the inbox may still show ------------------------------------------------------------


def _visible_calendars(user):
    return CareCalendar.objects.visible_to(user)


def inbox_visible_slot_notices(user) -> Q:
    """While the recipient may still open the slot's calendar."""
    return Q(
        Exists(
            CareSlot.objects.filter(
                pk=ref_pk_sql(OuterRef("subject"), CareSlot),
                calendar__in=_visible_calendars(user),
            )
        )
    )


def inbox_visible_updates(user) -> Q:
    return Q(
        Exists(
            CareUpdate.objects.filter(
                pk=ref_pk_sql(OuterRef("subject"), CareUpdate),
                calendar__in=_visible_calendars(user),
            )
        )
    )


# --- rendering ---------------------------------------------------------------------------------


def slot_when(slot: CareSlot) -> str:
    return when.moment(slot.starts_at, slot.calendar.timezone, style=when.LONG)


def _lead_label(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("in %(n)d hour", "in %(n)d hours", hours) % {"n": hours}
    return ngettext("in %(n)d minute", "in %(n)d minutes", minutes) % {"n": minutes}


def _slot_context(slot: CareSlot, user) -> dict:
    calendar = slot.calendar
    facts = care_facts(user, calendar)
    private = can_see_care_private(user, calendar, facts=facts)
    return {
        "calendar": calendar,
        "slot": slot,
        "when": slot_when(slot),
        "show_private": private,
        "address": calendar.address if private else "",
        "private_notes": calendar.private_notes if private else "",
        "facts": facts,
    }


def render_reminders(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """Before a helper's slot: still confirmed, the slot still on and ahead."""
    now = timezone.now()
    slot_ids = {ref_pk(r.subject, CareSlot) for r in rows} - {None}
    signups = {
        (s.slot_id, s.user_id): s
        for s in CareSignup.objects.filter(
            slot_id__in=slot_ids, user_id__in={r.recipient_id for r in rows}
        ).select_related("slot__calendar__group")
    }
    result: dict[int, Rendered | None] = {}
    for row in rows:
        signup = signups.get((ref_pk(row.subject, CareSlot), row.recipient_id))
        result[row.pk] = None
        if signup is None:
            continue
        slot = signup.slot
        context = _slot_context(slot, row.recipient)
        if not can_view_care_calendar(row.recipient, slot.calendar, facts=context["facts"]):
            continue
        if delivering and (
            not signup.is_confirmed
            or slot.is_cancelled
            or not slot.calendar.is_open
            or slot.starts_at <= now
        ):
            continue
        context["lead"] = _lead_label(row.context.get("lead_minutes", 0))
        result[row.pk] = Rendered(
            subject=_("Reminder: %(slot)s for %(name)s, %(when)s")
            % {"slot": slot.label, "name": slot.calendar.recipient_name, "when": context["when"]},
            url=slot.calendar.get_absolute_url(),
            template="volunteering/care/emails/slot_reminder",
            context=context,
            summary=context["when"],
        )
    return result


def render_empty_slots(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """To coordinators: the slot is still empty (and still theirs to fill)."""
    now = timezone.now()
    slots = CareSlot.objects.select_related("calendar__group").in_bulk(
        {ref_pk(r.subject, CareSlot) for r in rows} - {None}
    )
    coordinating = set(
        CareCoordinator.objects.filter(
            calendar_id__in={s.calendar_id for s in slots.values()},
            user_id__in={r.recipient_id for r in rows},
        ).values_list("calendar_id", "user_id")
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        slot = slots.get(ref_pk(row.subject, CareSlot))
        result[row.pk] = None
        if slot is None or (slot.calendar_id, row.recipient_id) not in coordinating:
            continue
        if delivering and (slot.is_cancelled or slot.seats_taken > 0 or slot.starts_at <= now):
            continue
        context = _slot_context(slot, row.recipient)
        result[row.pk] = Rendered(
            subject=_("Nobody has taken %(slot)s for %(name)s yet, %(when)s")
            % {"slot": slot.label, "name": slot.calendar.recipient_name, "when": context["when"]},
            url=slot.calendar.get_absolute_url(),
            template="volunteering/care/emails/empty_slot",
            context=context,
            summary=context["when"],
        )
    return result


def render_updates(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """An update to helpers, while the helper may still open the calendar. No address: an
    update is news, not directions."""
    updates = CareUpdate.objects.select_related("calendar__group", "author").in_bulk(
        {ref_pk(r.subject, CareUpdate) for r in rows} - {None}
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        update = updates.get(ref_pk(row.subject, CareUpdate))
        result[row.pk] = None
        if update is None or not can_view_care_calendar(row.recipient, update.calendar):
            continue
        calendar = update.calendar
        subject = (
            _("Thank you from %(name)s") if update.is_thanks else _("News about %(name)s")
        ) % {"name": calendar.recipient_name}
        result[row.pk] = Rendered(
            subject=subject,
            url=calendar.get_absolute_url(),
            template="volunteering/care/emails/update",
            context={"calendar": calendar, "update": update},
            summary=update.body[:200],
        )
    return result


register(
    Kind(
        key=REMINDER,
        label=gettext_lazy("Care slot reminders"),
        description=gettext_lazy(
            "Before a slot you took on a care calendar, at the times you choose below."
        ),
        render=render_reminders,
        uses_reminder_offsets=True,
        reminder_subjects=reminder_subjects,
        inbox_visible=inbox_visible_slot_notices,
    )
)
register(
    Kind(
        key=EMPTY_SLOT,
        label=gettext_lazy("Empty care slots"),
        description=gettext_lazy(
            "When a slot on a care calendar you coordinate is still empty two days ahead."
        ),
        render=render_empty_slots,
        inbox_visible=inbox_visible_slot_notices,
    )
)
register(
    Kind(
        key=UPDATE,
        label=gettext_lazy("Care calendar updates"),
        description=gettext_lazy("News and thanks on care calendars you help with."),
        render=render_updates,
        inbox_visible=inbox_visible_updates,
    )
)
