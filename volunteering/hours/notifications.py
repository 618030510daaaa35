"""What the hours ledger tells volunteers: their hours were verified, or rejected with a note.

Called by the hours services inside their transaction; registered when the volunteering app is
ready. The renderer re-checks at send time that the entry is still there and still the
recipient's, and says what the entry says now.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.refs import dedupe_key, ref, ref_pk
from notifications import services as outbox
from notifications.registry import Kind, Rendered, register
from volunteering.hours.statement import hours_text
from volunteering.models import HoursEntry

HOURS_VERIFIED = "volunteering.hours_verified"
HOURS_REJECTED = "volunteering.hours_rejected"


def on_hours_reviewed(*, entry: HoursEntry) -> None:
    """A coordinator verified or rejected the entry: tell its volunteer (once per entry)."""
    kind = HOURS_VERIFIED if entry.status == HoursEntry.Status.VERIFIED else HOURS_REJECTED
    subject = ref(entry)
    outbox.notification_schedule(
        recipient=entry.volunteer,
        kind=kind,
        subject=subject,
        dedupe_key=dedupe_key(kind, subject),
    )


def render_hours_reviewed(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """The entry as it stands: its project, date, hours, decision and the coordinator's note."""
    entries = HoursEntry.objects.select_related("project").in_bulk(
        {ref_pk(row.subject, HoursEntry) for row in rows} - {None}
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        entry = entries.get(ref_pk(row.subject, HoursEntry))
        expected = (
            HoursEntry.Status.VERIFIED
            if row.kind == HOURS_VERIFIED
            else (HoursEntry.Status.REJECTED)
        )
        if entry is None or entry.volunteer_id != row.recipient_id or entry.status != expected:
            result[row.pk] = None
            continue
        verified = entry.status == HoursEntry.Status.VERIFIED
        values = {"hours": hours_text(entry.minutes), "project": entry.project.title}
        result[row.pk] = Rendered(
            subject=(
                _("%(hours)s hours verified for %(project)s")
                if verified
                else _("Your %(hours)s hours for %(project)s were not verified")
            )
            % values,
            url=reverse("volunteering:my_hours"),
            template="volunteering/hours/email_reviewed",
            context={
                "entry": entry,
                "verified": verified,
                "hours": values["hours"],
                "project": entry.project.title,
                "note": entry.review_note,
            },
            summary=entry.review_note[:200] if entry.review_note else "",
        )
    return result


for _key, _label, _description in (
    (
        HOURS_VERIFIED,
        gettext_lazy("Hours verified"),
        gettext_lazy("When a coordinator verifies hours you logged or were checked in for."),
    ),
    (
        HOURS_REJECTED,
        gettext_lazy("Hours not verified"),
        gettext_lazy("When a coordinator turns down hours you logged, with their note."),
    ),
):
    register(Kind(key=_key, label=_label, description=_description, render=render_hours_reviewed))
