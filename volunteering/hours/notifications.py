"""What the hours ledger tells volunteers (their hours were verified, rejected with a note, or
corrected) and coordinators (hours wait for their review).

Called by the hours services inside their transaction; registered when the volunteering app is
ready. The renderer re-checks at send time that the entry is still there and still the
recipient's, and says what the entry says now.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.refs import dedupe_key, ref, ref_pk, ref_pk_sql
from groups.models import Membership
from notifications import services as outbox
from notifications.registry import Kind, Rendered, register
from volunteering.hours.statement import hours_text
from volunteering.models import HoursEntry, VolunteerProject

HOURS_VERIFIED = "volunteering.hours_verified"
HOURS_REJECTED = "volunteering.hours_rejected"
HOURS_CORRECTED = "volunteering.hours_corrected"
HOURS_WAITING = "volunteering.hours_waiting"
# Hours logged or checked in are gathered: the coordinators hear at most once a day per
# project, an hour after the first entry of that day (a busy shift makes one notice).
WAITING_GATHER = dt.timedelta(hours=1)


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


def on_hours_corrected(*, entry: HoursEntry) -> None:
    """A coordinator corrected the volunteer's verified hours: tell them (once per entry)."""
    subject = ref(entry)
    outbox.notification_schedule(
        recipient=entry.volunteer,
        kind=HOURS_CORRECTED,
        subject=subject,
        dedupe_key=dedupe_key(HOURS_CORRECTED, subject),
    )


def render_hours_corrected(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """The corrected entry, what it counts now (its correction, or nothing when voided) and
    the coordinator's note."""
    entries = HoursEntry.objects.select_related("project").in_bulk(
        {ref_pk(row.subject, HoursEntry) for row in rows} - {None}
    )
    corrections = {
        c.corrects_id: c for c in HoursEntry.objects.filter(corrects_id__in=list(entries))
    }
    reversals = {r.reverses_id: r for r in HoursEntry.objects.filter(reverses_id__in=list(entries))}
    result: dict[int, Rendered | None] = {}
    for row in rows:
        entry = entries.get(ref_pk(row.subject, HoursEntry))
        reversal = reversals.get(entry.pk) if entry is not None else None
        if entry is None or entry.volunteer_id != row.recipient_id or reversal is None:
            result[row.pk] = None
            continue
        correction = corrections.get(entry.pk)
        values = {
            "hours": hours_text(entry.minutes),
            "now": hours_text(correction.minutes if correction else 0),
            "project": entry.project.title,
        }
        result[row.pk] = Rendered(
            subject=_("Your hours for %(project)s were corrected") % values,
            url=reverse("volunteering:my_hours"),
            template="volunteering/hours/email_corrected",
            context={
                "entry": entry,
                "was": values["hours"],
                "now": values["now"],
                "project": entry.project.title,
                "note": reversal.review_note,
            },
            summary=reversal.review_note[:200],
        )
    return result


def inbox_visible_hours_waiting(user) -> Q:
    """The renderer's inbox check in SQL: the reader still coordinates the project (an active
    organizer or host of its group)."""
    groups = Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
    ).values("group_id")
    return Q(
        Exists(
            VolunteerProject.objects.filter(
                pk=ref_pk_sql(OuterRef("subject"), VolunteerProject), group_id__in=groups
            )
        )
    )


def on_hours_waiting(*, entry: HoursEntry) -> None:
    """Hours were logged or checked in: the project's coordinators (the group's active
    organizers and hosts, never the volunteer) hear that hours wait for them, gathered into one
    notice per project and day."""
    from volunteering.hours.selectors import coordinator_ids

    project = entry.project
    now = timezone.now()
    subject = ref(project)
    outbox.notification_schedule_many(
        recipient_ids=coordinator_ids(project),
        kind=HOURS_WAITING,
        subject=subject,
        dedupe_key=dedupe_key(HOURS_WAITING, subject, now.date().isoformat()),
        send_at=now + WAITING_GATHER,
        exclude_user_id=entry.volunteer_id,
    )


def render_hours_waiting(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """How many entries wait now (others' only); nothing goes out when none wait or the
    recipient no longer coordinates the project."""
    from volunteering.hours.selectors import coordinating_pairs, pending_counts_for

    projects = VolunteerProject.objects.select_related("group").in_bulk(
        {ref_pk(row.subject, VolunteerProject) for row in rows} - {None}
    )
    counts = pending_counts_for(
        pairs={(row.recipient_id, ref_pk(row.subject, VolunteerProject)) for row in rows}
    )
    coordinating = coordinating_pairs(
        pairs={(row.recipient_id, ref_pk(row.subject, VolunteerProject)) for row in rows}
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        project = projects.get(ref_pk(row.subject, VolunteerProject))
        pair = (row.recipient_id, project.pk if project else None)
        waiting = counts.get(pair, 0)
        # By email only while something waits; in the inbox the notice stays (it was sent) and
        # says when all was reviewed, as long as the reader still coordinates the project.
        if project is None or pair not in coordinating or (delivering and not waiting):
            result[row.pk] = None
            continue
        url = reverse("volunteering:project_hours", kwargs={"slug": project.slug})
        subject = (
            ngettext(
                "%(count)s hours entry waits for you in %(project)s",
                "%(count)s hours entries wait for you in %(project)s",
                waiting,
            )
            if waiting
            else _("The hours of %(project)s are all reviewed")
        )
        result[row.pk] = Rendered(
            subject=subject % {"count": waiting, "project": project.title},
            url=url,
            template="volunteering/hours/email_waiting",
            context={"project": project.title, "count": waiting},
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

register(
    Kind(
        key=HOURS_CORRECTED,
        label=gettext_lazy("Hours corrected"),
        description=gettext_lazy("When a coordinator corrects hours of yours they had verified."),
        render=render_hours_corrected,
    )
)
register(
    Kind(
        key=HOURS_WAITING,
        label=gettext_lazy("Hours waiting for verification"),
        description=gettext_lazy(
            "For coordinators: hours volunteers logged or were checked in for, at most once a "
            "day per project."
        ),
        render=render_hours_waiting,
        inbox_visible=inbox_visible_hours_waiting,
    )
)
