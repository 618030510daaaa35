"""What the events app tells people, and when.

The events services call these hooks inside their own transaction, right after the write that
caused them, so a notice or reminder is written (or moved, or cancelled) atomically with the
RSVP or event change. The notifications app owns delivery; this module owns the event kinds:
it registers them and renders them, re-checking at send time that the message still holds
(the RSVP is still going, the event still on, the recipient still allowed to see it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import blocked_either_way_q
from core import when as core_when
from core.recurrence import describe_rule
from core.refs import dedupe_key, ref, ref_for, ref_pk, ref_pk_sql
from events.check_in import check_in_qr
from events.ical import calendar_bytes, full_location, public_location
from events.models import Event, Rsvp, SeriesRsvp
from events.permissions import can_see_event_location
from groups.models import Group, Membership
from groups.notifications import message_context, render_message
from groups.permissions import can_view_group_content
from groups.selectors import notice_audience
from notifications import services as outbox
from notifications.models import Channel
from notifications.registry import Kind, Rendered, register

REMINDER = "events.reminder"
CONFIRMED = "events.rsvp_confirmed"
PROMOTED = "events.rsvp_promoted"
CHANGED = "events.event_changed"
CANCELLED = "events.event_cancelled"
CREATED = "events.event_created"
DIGEST = "events.weekly_digest"
WAITLIST_FORMING = "events.waitlist_forming"
STANDING_STARTED = "events.standing_rsvp_started"

# Notices that stop making sense once the person is no longer going.
GOING_KINDS = (REMINDER, CONFIRMED, PROMOTED, CHANGED)


# --- hooks -------------------------------------------------------------------------------------


def _version(value: dt.datetime | None) -> str:
    """Part of a notice's dedupe key: the same change is written once, a later one again."""
    return str(int((value or timezone.now()).timestamp() * 1_000_000))


def _going_ids(event: Event, statuses=(Rsvp.Status.GOING,)):
    return Rsvp.objects.filter(event=event, status__in=statuses).values("user_id")


def on_rsvp_confirmed(*, rsvp: Rsvp) -> None:
    """A seat was confirmed (new RSVP going): confirmation notice and reminders."""
    _seat_notices(rsvp, CONFIRMED)


def on_rsvp_promoted(*, rsvp: Rsvp, actor=None) -> None:
    """A waitlisted RSVP got a seat: promotion notice (not when the person gave it to
    themselves, an organizer admitting themselves) and reminders."""
    _seat_notices(rsvp, PROMOTED, actor=actor)


def on_standing_rsvp_booked(*, rsvp: Rsvp) -> None:
    """A standing RSVP took a seat on one date: its reminders, no confirmation of its own (the
    notice that the standing RSVP started lists the dates; later dates come without one)."""
    _seat_notices(rsvp, None)


def on_series_rsvp_started(*, standing: SeriesRsvp, rsvps: list[Rsvp]) -> None:
    """A standing RSVP started: one notice listing the dates it booked (going or waiting),
    instead of a confirmation per date."""
    subject = ref(standing)
    outbox.notification_schedule(
        recipient=standing.user,
        kind=STANDING_STARTED,
        subject=subject,
        dedupe_key=dedupe_key(STANDING_STARTED, subject),
        context={"rsvps": [r.pk for r in rsvps]},
    )


def _seat_notices(rsvp: Rsvp, kind: str | None, *, actor=None) -> None:
    event = rsvp.event
    subject = ref(event)
    if kind is not None:
        outbox.notification_schedule(
            recipient=rsvp.user,
            kind=kind,
            subject=subject,
            dedupe_key=dedupe_key(kind, subject, rsvp.user_id, _version(rsvp.updated_at)),
            actor=actor,
        )
    outbox.reminders_schedule(
        recipient_ids=[rsvp.user_id], kind=REMINDER, subject=subject, starts_at=event.starts_at
    )


def reminder_subjects(*, user, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
    """The coming events the user is going to, for reminders at newly chosen lead times."""
    return [
        (ref_for(Event, pk), starts_at)
        for pk, starts_at in Event.objects.filter(
            rsvps__user=user,
            rsvps__status=Rsvp.Status.GOING,
            status=Event.Status.SCHEDULED,
            starts_at__gt=now,
        ).values_list("pk", "starts_at")
    ]


def on_rsvp_waitlisted(*, rsvp: Rsvp) -> None:
    """An RSVP went on the waitlist: the page says so; a seat that opens sends a notice. The
    first person waiting tells the group's organizers and hosts that a waitlist is forming."""
    event = rsvp.event
    waiting = Rsvp.objects.filter(event=event, status=Rsvp.Status.WAITLISTED)
    if waiting.exclude(pk=rsvp.pk).exists():
        return
    subject = ref(event)
    outbox.notification_schedule_many(
        recipient_ids=Membership.objects.filter(
            group_id=event.group_id,
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
        ).values("user_id"),
        kind=WAITLIST_FORMING,
        subject=subject,
        dedupe_key=dedupe_key(WAITLIST_FORMING, subject, _version(rsvp.updated_at)),
        # A host who went on the waitlist themselves knows it is forming.
        actor=rsvp.user,
    )


def on_rsvp_cancelled(*, rsvp: Rsvp) -> None:
    """An RSVP was cancelled (not going any more): its reminders are cancelled."""
    outbox.notifications_cancel(
        subject=ref_for(Event, rsvp.event_id), kinds=GOING_KINDS, recipient=rsvp.user
    )


def on_event_changed(*, event: Event, changed_fields: set[str], actor=None) -> None:
    """Time or place changed: pending reminders move; people going are told (but the person
    who changed it)."""
    subject = ref(event)
    if "starts_at" in changed_fields:
        outbox.reminders_move(subject=subject, starts_at=event.starts_at)
        # Lead times that were already past before the move may be ahead again.
        outbox.reminders_schedule(
            recipient_ids=_going_ids(event),
            kind=REMINDER,
            subject=subject,
            starts_at=event.starts_at,
        )
    # One notice per person for the latest change: an earlier one not yet sent is replaced.
    outbox.notifications_cancel(subject=subject, kinds=[CHANGED])
    outbox.notification_schedule_many(
        recipient_ids=_going_ids(event),
        kind=CHANGED,
        subject=subject,
        dedupe_key=dedupe_key(CHANGED, subject, _version(event.updated_at)),
        context={"changed": sorted(changed_fields)},
        actor=actor,
    )


def on_event_cancelled(*, event: Event, message: str, actor=None) -> None:
    """The event was cancelled: reminders are cancelled; people going or waiting are told
    (but the person who cancelled it).
    Each notice keeps what it says, so it still goes out if the event's rows are deleted
    (a group that closes cancels its events, then goes with them)."""
    subject = ref(event)
    outbox.notifications_cancel(subject=subject, kinds=[*GOING_KINDS, CREATED])
    for status in (Rsvp.Status.GOING, Rsvp.Status.WAITLISTED):
        outbox.notification_schedule_many(
            recipient_ids=_going_ids(event, statuses=(status,)),
            kind=CANCELLED,
            subject=subject,
            dedupe_key=dedupe_key(CANCELLED, subject),
            context=_cancelled_context(event, message, show_location=status == Rsvp.Status.GOING),
            actor=actor,
        )


def _cancelled_context(event: Event, message: str, *, show_location: bool) -> dict:
    """What a cancellation notice needs without the event: the address only for people going.
    The start and zone are kept too, so the date is written in each recipient's language when
    the notice is rendered; `when` (in the site's language) is for notices written before."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "message": message,
            "title": event.title,
            "when": when(event),
            "starts_at": event.starts_at.isoformat(),
            "timezone": event.timezone,
            "group_name": event.group.name,
            "location": str(full_location(event) if show_location else public_location(event)),
        }


def on_event_created(*, event: Event) -> None:
    """A new event in a group: members who opted in are told (one read, one insert).
    Occurrences of a recurring series are not announced one by one."""
    if event.series_id is not None or event.starts_at <= timezone.now():
        return
    subject = ref(event)
    outbox.notification_schedule_many(
        recipient_ids=notice_audience(group_ids=[event.group_id]).values("user_id"),
        kind=CREATED,
        subject=subject,
        dedupe_key=dedupe_key(CREATED, subject),
        exclude_user_id=event.created_by_id,
    )


# --- what the inbox may still show -------------------------------------------------------------


def _subject_event_pk():
    return ref_pk_sql(OuterRef("subject"), Event)


def inbox_visible_rsvp_notices(user) -> Q:
    """The renderer's inbox check in SQL: the recipient answered the event and may still see
    it (`Event.objects.visible_to`)."""
    return Q(
        Exists(Event.objects.visible_to(user).filter(pk=_subject_event_pk(), rsvps__user=user))
    )


def inbox_visible_cancellations(user) -> Q:
    """As for the other RSVP notices; once the event's rows are gone (its group closed), the
    notice shows what it kept."""
    gone = Q(subject__startswith=f"{Event._meta.label_lower}:", context__has_key="title") & ~Q(
        Exists(Event.objects.filter(pk=_subject_event_pk()))
    )
    return inbox_visible_rsvp_notices(user) | gone


def inbox_visible_new_events(user) -> Q:
    """Only while the recipient is still an active member of the event's group."""
    groups = notice_audience(user_ids=[user.pk]).values("group_id")
    return Q(Exists(Event.objects.filter(pk=_subject_event_pk(), group_id__in=groups)))


# --- rendering ---------------------------------------------------------------------------------


def when(event: Event, value: dt.datetime | None = None) -> str:
    """A moment in the event's own time zone, with the zone named (core.when, spelled out)."""
    return core_when.moment(value or event.starts_at, event.timezone, style=core_when.LONG)


def _event_id(subject: str) -> int | None:
    return ref_pk(subject, Event)


def _membership(group_id: int, user_id: int, status: str | None, role: str | None):
    if status is None:
        return None
    return Membership(group_id=group_id, user_id=user_id, status=status, role=role)


def _rsvps_for(rows) -> dict[tuple[int, int], Rsvp]:
    """Every (event, recipient) RSVP the rows speak of, with event, group and the recipient's
    membership, in one query."""
    event_ids = {_event_id(r.subject) for r in rows} - {None}
    user_ids = {r.recipient_id for r in rows}
    membership = Membership.objects.filter(group=OuterRef("event__group"), user=OuterRef("user"))
    found = (
        Rsvp.objects.filter(event_id__in=event_ids, user_id__in=user_ids)
        .select_related("event__group")
        .annotate(
            membership_status=Subquery(membership.values("status")[:1]),
            membership_role=Subquery(membership.values("role")[:1]),
        )
    )
    return {(r.event_id, r.user_id): r for r in found}


def _common_context(event: Event, user, rsvp: Rsvp | None, membership) -> dict:
    show_location = can_see_event_location(user, event, membership=membership, rsvp=rsvp)
    return {
        "event": event,
        "group": event.group,
        "when": when(event),
        "ends": when(event, event.ends_at),
        "show_location": show_location,
        "location": full_location(event) if show_location else public_location(event),
        "online_url": event.online_url if show_location else "",
    }


def _lead_label(minutes: int) -> str:
    if minutes % 60 == 0:
        hours = minutes // 60
        return ngettext("in %(n)d hour", "in %(n)d hours", hours) % {"n": hours}
    return ngettext("in %(n)d minute", "in %(n)d minutes", minutes) % {"n": minutes}


def _ics(event: Event, show_location: bool) -> tuple[str, bytes, str]:
    content = calendar_bytes(
        [event],
        name=event.title,
        show_location_for={event.pk} if show_location else set(),
        base_url=settings.SITE_URL,
    )
    return (f"{event.slug}.ics", content, "text/calendar; charset=utf-8; method=PUBLISH")


def render_rsvp_notices(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """Reminders and the notices about one's own RSVP or an event one answered."""
    now = timezone.now()
    rsvps = _rsvps_for(rows)
    gone = _events_gone(
        r
        for r in rows
        if r.kind == CANCELLED and (_event_id(r.subject), r.recipient_id) not in rsvps
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        rsvp = rsvps.get((_event_id(row.subject), row.recipient_id))
        result[row.pk] = None
        if rsvp is None:
            if _event_id(row.subject) in gone and row.context.get("title"):
                result[row.pk] = _cancelled_rendered(dict(row.context), url="")
            continue
        event, user = rsvp.event, row.recipient
        membership = _membership(
            event.group_id, user.pk, rsvp.membership_status, rsvp.membership_role
        )
        if not can_view_group_content(user, event.group, membership=membership):
            continue
        if delivering and not _still_holds(row.kind, event, rsvp, now):
            continue
        result[row.pk] = _render_one(row, event, rsvp, membership)
    return result


def _events_gone(rows) -> set[int]:
    """Ids of the events these rows speak of that no longer exist (one query, or none)."""
    wanted = {_event_id(r.subject) for r in rows} - {None}
    if not wanted:
        return set()
    return wanted - set(Event.objects.filter(pk__in=wanted).values_list("pk", flat=True))


def _still_holds(kind: str, event: Event, rsvp: Rsvp, now: dt.datetime) -> bool:
    if kind == CANCELLED:
        return event.status == Event.Status.CANCELLED
    if event.status != Event.Status.SCHEDULED or rsvp.status != Rsvp.Status.GOING:
        return False
    if kind == REMINDER:
        return event.starts_at > now
    return event.ends_at > now


def _render_one(row, event: Event, rsvp: Rsvp, membership) -> Rendered:
    context = _common_context(event, row.recipient, rsvp, membership)
    url = event.get_absolute_url()
    title = event.title
    if row.kind == REMINDER:
        context["lead"] = _lead_label(row.context.get("lead_minutes", 0))
        return Rendered(
            subject=_("Reminder: %(title)s, %(when)s") % {"title": title, "when": context["when"]},
            url=url,
            template="emails/event_reminder",
            context=context,
            summary=_("Starts %(when)s.") % {"when": context["when"]},
        )
    if row.kind in (CONFIRMED, PROMOTED):
        promoted = row.kind == PROMOTED
        subject = (
            _("A seat opened up: you're going to %(title)s")
            if promoted
            else _("You're going: %(title)s")
        ) % {"title": title}
        context["promoted"] = promoted
        context["check_in_qr"] = check_in_qr(rsvp)
        return Rendered(
            subject=subject,
            url=url,
            template="emails/event_rsvp",
            context=context,
            summary=context["when"],
            attachments=(_ics(event, context["show_location"]),),
        )
    if row.kind == CHANGED:
        changed = set(row.context.get("changed", ()))
        context["time_changed"] = bool(changed & {"starts_at", "ends_at", "timezone"})
        context["place_changed"] = bool(changed - {"starts_at", "ends_at", "timezone"})
        return Rendered(
            subject=_("Changed: %(title)s") % {"title": title},
            url=url,
            template="emails/event_changed",
            context=context,
            summary=_("Now %(when)s.") % {"when": context["when"]},
        )
    context["message"] = row.context.get("message", "")
    context["title"] = title
    context["group_name"] = event.group.name
    return _cancelled_rendered(context, url=url)


def _cancelled_rendered(context: dict, *, url: str) -> Rendered:
    """The cancellation notice from its context (live, or as stored when it was written)."""
    if context.get("starts_at") and context.get("timezone"):
        starts_at = dt.datetime.fromisoformat(context["starts_at"])
        context["when"] = core_when.moment(starts_at, context["timezone"], style=core_when.LONG)
    return Rendered(
        subject=_("Cancelled: %(title)s, %(when)s")
        % {"title": context["title"], "when": context["when"]},
        url=url,
        template="emails/event_cancelled",
        context=context,
        summary=context.get("message", "")[:200],
    )


def render_new_events(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """ "New event in your group": only while the recipient is still an active member."""
    now = timezone.now()
    events = Event.objects.select_related("group").in_bulk(
        {_event_id(r.subject) for r in rows} - {None}
    )
    memberships = {
        (m.group_id, m.user_id): m
        for m in notice_audience(
            group_ids={e.group_id for e in events.values()},
            user_ids={r.recipient_id for r in rows},
        )
    }
    result: dict[int, Rendered | None] = {}
    for row in rows:
        event = events.get(_event_id(row.subject))
        result[row.pk] = None
        if event is None or (event.group_id, row.recipient_id) not in memberships:
            continue
        if delivering and (event.status != Event.Status.SCHEDULED or event.starts_at <= now):
            continue
        context = _common_context(
            event, row.recipient, None, memberships[(event.group_id, row.recipient_id)]
        )
        result[row.pk] = Rendered(
            subject=_("New in %(group)s: %(title)s") % {"group": event.group, "title": event},
            url=event.get_absolute_url(),
            template="emails/event_created",
            context=context,
            summary=context["when"],
        )
    return result


def render_digests(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """The coming week's events in the groups each recipient belongs to (None: nothing on)."""
    now = timezone.now()
    week_end = now + dt.timedelta(days=7)
    groups_of: dict[int, set[int]] = defaultdict(set)
    for user_id, group_id in notice_audience(user_ids={r.recipient_id for r in rows}).values_list(
        "user_id", "group_id"
    ):
        groups_of[user_id].add(group_id)
    upcoming = list(
        Event.objects.scheduled()
        .filter(
            group_id__in=set().union(*groups_of.values()),
            starts_at__gte=now,
            starts_at__lt=week_end,
        )
        .select_related("group")
        .order_by("starts_at", "pk")
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        mine = [e for e in upcoming if e.group_id in groups_of[row.recipient_id]]
        if not mine:
            result[row.pk] = None
            continue
        subject = ngettext(
            "Your week: %(count)d event in your groups",
            "Your week: %(count)d events in your groups",
            len(mine),
        ) % {"count": len(mine)}
        result[row.pk] = Rendered(
            subject=subject,
            url=reverse("events:mine"),
            template="emails/event_digest",
            context={"events": [(e, when(e)) for e in mine]},
            summary=", ".join(e.title for e in mine[:5]),
        )
    return result


register(
    Kind(
        key=REMINDER,
        label=gettext_lazy("Event reminders"),
        description=gettext_lazy("Before events you're going to, at the times you choose below."),
        render=render_rsvp_notices,
        uses_reminder_offsets=True,
        reminder_subjects=reminder_subjects,
        inbox_visible=inbox_visible_rsvp_notices,
    )
)
register(
    Kind(
        key=CONFIRMED,
        label=gettext_lazy("RSVP confirmations"),
        description=gettext_lazy("When you RSVP, with the event for your calendar."),
        render=render_rsvp_notices,
        inbox_visible=inbox_visible_rsvp_notices,
    )
)
register(
    Kind(
        key=PROMOTED,
        label=gettext_lazy("Seats from the waitlist"),
        description=gettext_lazy("When a seat opens up for you."),
        render=render_rsvp_notices,
        inbox_visible=inbox_visible_rsvp_notices,
    )
)
register(
    Kind(
        key=CHANGED,
        label=gettext_lazy("Event changes"),
        description=gettext_lazy("When the time or place of an event you're going to changes."),
        render=render_rsvp_notices,
        inbox_visible=inbox_visible_rsvp_notices,
    )
)
register(
    Kind(
        key=CANCELLED,
        label=gettext_lazy("Cancelled events"),
        description=gettext_lazy("When an event you answered is cancelled."),
        render=render_rsvp_notices,
        inbox_visible=inbox_visible_cancellations,
    )
)
register(
    Kind(
        key=CREATED,
        label=gettext_lazy("New events in my groups"),
        description=gettext_lazy("When one of your groups adds an event."),
        render=render_new_events,
        default_channels=frozenset(),
        inbox_visible=inbox_visible_new_events,
    )
)
register(
    Kind(
        key=DIGEST,
        label=gettext_lazy("Weekly digest"),
        description=gettext_lazy("The coming week's events in your groups, once a week."),
        render=render_digests,
        channels=(Channel.EMAIL,),
        default_channels=frozenset(),
        weekly=True,
    )
)


# --- messages from organizers to an event's people -----------------------------------------

EVENT_MESSAGE = "events.message"


def on_event_message(*, event: Event, sender, subject: str, body: str, key: str) -> int:
    """Write the message to the people going and waiting, but for those who blocked the
    sender or whom the sender blocked (one read, one insert)."""
    context = message_context(
        group_name=event.group.name, sender=sender, subject=subject, body=body
    )
    context["event_title"] = event.title
    return outbox.notification_schedule_many(
        recipient_ids=_going_ids(event, (Rsvp.Status.GOING, Rsvp.Status.WAITLISTED)).exclude(
            blocked_either_way_q(sender, field="user_id")
        ),
        kind=EVENT_MESSAGE,
        subject=ref(event),
        dedupe_key=dedupe_key(EVENT_MESSAGE, event, key),
        context=context,
        exclude_user_id=getattr(sender, "pk", None),
    )


def render_event_messages(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """Only while the event is there and the recipient is still an active member of its
    group."""
    events = Event.objects.select_related("group").in_bulk(
        {_event_id(r.subject) for r in rows} - {None}
    )
    members = set(
        notice_audience(
            group_ids={e.group_id for e in events.values()}, user_ids={r.recipient_id for r in rows}
        ).values_list("group_id", "user_id")
    )

    def allowed(row):
        event = events.get(_event_id(row.subject))
        return event is not None and (event.group_id, row.recipient_id) in members

    return render_message(
        rows,
        url_for=lambda row: events[_event_id(row.subject)].get_absolute_url(),
        allowed=allowed,
    )


register(
    Kind(
        key=EVENT_MESSAGE,
        label=gettext_lazy("Messages about events you're going to"),
        description=gettext_lazy(
            "What organizers send to the people going to or waiting for an event."
        ),
        render=render_event_messages,
        inbox_visible=inbox_visible_new_events,
    )
)


def render_waitlist_forming(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """To organizers and hosts: only while the event is on and coming, people still wait, and
    the recipient still runs the group."""
    events = Event.objects.select_related("group").in_bulk(
        {_event_id(r.subject) for r in rows} - {None}
    )
    waiting = dict(
        Rsvp.objects.filter(event__in=list(events), status=Rsvp.Status.WAITLISTED)
        .values("event_id")
        .annotate(n=Count("pk"))
        .values_list("event_id", "n")
    )
    running = set(
        Membership.objects.filter(
            group_id__in={e.group_id for e in events.values()},
            user_id__in={r.recipient_id for r in rows},
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
        ).values_list("group_id", "user_id")
    )
    now = timezone.now()
    result: dict[int, Rendered | None] = {}
    for row in rows:
        event = events.get(_event_id(row.subject))
        if (
            event is None
            or event.status != Event.Status.SCHEDULED
            or event.ends_at <= now
            or not waiting.get(event.pk)
            or (event.group_id, row.recipient_id) not in running
        ):
            result[row.pk] = None
            continue
        result[row.pk] = Rendered(
            subject=_("A waitlist is forming: %(title)s") % {"title": event.title},
            url=event.get_absolute_url(),
            template="emails/event_waitlist_forming",
            context={"event": event, "when": when(event), "waiting": waiting[event.pk]},
            summary=_("%(title)s is full and people are waiting.") % {"title": event.title},
        )
    return result


def inbox_visible_waitlist_forming(user) -> Q:
    """Only while the recipient still organizes or hosts the event's group."""
    groups = Membership.objects.filter(
        user=user,
        status=Membership.Status.ACTIVE,
        role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
    ).values("group_id")
    return Q(Exists(Event.objects.filter(pk=_subject_event_pk(), group_id__in=groups)))


register(
    Kind(
        key=WAITLIST_FORMING,
        label=gettext_lazy("A waitlist forming (organizers and hosts)"),
        description=gettext_lazy(
            "When an event you run is full and the first person goes on the waitlist."
        ),
        render=render_waitlist_forming,
        inbox_visible=inbox_visible_waitlist_forming,
    )
)


# Opt-in for organizers and hosts: each RSVP or cancellation while an event has few seats left.
FEW_SEATS = "events.few_seats"


def few_seats_left(capacity: int | None, taken: int) -> bool:
    """An event "has few seats" when a fifth of its seats or fewer (at least two) are left."""
    if capacity is None:
        return False
    return capacity - taken <= max(2, capacity // 5)


def on_rsvp_few_seats(*, rsvp: Rsvp, change: str) -> None:
    """Someone took (`change` "going", after taking) or is giving back ("cancelled", before the
    seats are released) a seat: when few seats are left, the organizers and hosts who asked
    for it are told (off unless chosen). Nothing is read for an event without a capacity."""
    if rsvp.event.capacity is None:
        return
    capacity, taken = (
        Event.objects.filter(pk=rsvp.event_id).values_list("capacity", "seats_taken").get()
    )
    if not few_seats_left(capacity, taken):
        return
    # A cancellation is told before its seats are given back: say what is left after it.
    left = capacity - taken + (rsvp.seats if change == "cancelled" else 0)
    subject = ref_for(Event, rsvp.event_id)
    outbox.notification_schedule_many(
        recipient_ids=Membership.objects.filter(
            group_id=rsvp.event.group_id,
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
        )
        .exclude(blocked_either_way_q(rsvp.user_id, field="user_id"))
        .values("user_id"),
        kind=FEW_SEATS,
        subject=subject,
        dedupe_key=dedupe_key(FEW_SEATS, subject, rsvp.pk, change, _version(rsvp.updated_at)),
        context={
            "change": change,
            "person": rsvp.user.public_name,
            "seats_left": max(left, 0),
        },
        exclude_user_id=rsvp.user_id,
    )


def render_few_seats(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """To organizers and hosts: only while the event is on and coming and the recipient still
    runs the group."""
    events = Event.objects.select_related("group").in_bulk(
        {_event_id(r.subject) for r in rows} - {None}
    )
    running = set(
        Membership.objects.filter(
            group_id__in={e.group_id for e in events.values()},
            user_id__in={r.recipient_id for r in rows},
            status=Membership.Status.ACTIVE,
            role__in=[Membership.Role.ORGANIZER, Membership.Role.HOST],
        ).values_list("group_id", "user_id")
    )
    now = timezone.now()
    result: dict[int, Rendered | None] = {}
    for row in rows:
        event = events.get(_event_id(row.subject))
        if (
            event is None
            or event.status != Event.Status.SCHEDULED
            or event.ends_at <= now
            or (event.group_id, row.recipient_id) not in running
        ):
            result[row.pk] = None
            continue
        context = dict(row.context)
        going = context.get("change") == "going"
        values = {"name": context.get("person", ""), "title": event.title}
        result[row.pk] = Rendered(
            subject=(
                _("%(name)s is going to %(title)s")
                if going
                else _("%(name)s can't go to %(title)s")
            )
            % values,
            url=event.get_absolute_url(),
            template="emails/event_few_seats",
            context={"event": event, "when": when(event), "going": going, **context},
            summary=ngettext("%(n)s seat left.", "%(n)s seats left.", context.get("seats_left", 0))
            % {"n": context.get("seats_left", 0)},
        )
    return result


# --- a standing RSVP started: one notice for every date it booked -----------------------------


def render_standing_started(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """ "You're going to every date": only while the standing RSVP lasts and the recipient is
    still an active member; the dates listed are their places (going or waiting) on the
    series' coming dates when it is sent, with the dates they have a seat on attached."""
    now = timezone.now()
    standing = SeriesRsvp.objects.select_related("series__group").in_bulk(
        {ref_pk(r.subject, SeriesRsvp) for r in rows} - {None}
    )
    memberships = {
        (m.group_id, m.user_id): m
        for m in notice_audience(
            group_ids={s.series.group_id for s in standing.values()},
            user_ids={r.recipient_id for r in rows},
        )
    }
    places: dict[tuple[int, int], list[Rsvp]] = defaultdict(list)
    for rsvp in (
        Rsvp.objects.filter(
            event__series_id__in={s.series_id for s in standing.values()},
            user_id__in={r.recipient_id for r in rows},
            status__in=(Rsvp.Status.GOING, Rsvp.Status.WAITLISTED),
            event__status=Event.Status.SCHEDULED,
            event__starts_at__gt=now,
        )
        .select_related("event__group")
        .order_by("event__starts_at", "event_id")
    ):
        places[(rsvp.event.series_id, rsvp.user_id)].append(rsvp)
    result: dict[int, Rendered | None] = {}
    for row in rows:
        each = standing.get(ref_pk(row.subject, SeriesRsvp))
        result[row.pk] = None
        if each is None or each.user_id != row.recipient_id:
            continue
        series = each.series
        membership = memberships.get((series.group_id, row.recipient_id))
        if membership is None or (delivering and (not each.is_active or not series.is_running)):
            continue
        result[row.pk] = _standing_rendered(
            row.recipient, series, membership, places[(series.pk, row.recipient_id)]
        )
    return result


register(
    Kind(
        key=FEW_SEATS,
        label=gettext_lazy("RSVPs when few seats are left (organizers and hosts)"),
        description=gettext_lazy(
            "Each RSVP or cancellation for an event you run once only a few seats are left."
        ),
        render=render_few_seats,
        inbox_visible=inbox_visible_waitlist_forming,
        default_channels=frozenset(),
    )
)


def _standing_rendered(user, series, membership, rsvps: list[Rsvp]) -> Rendered:
    dates = []
    going: list[Event] = []
    shown: set[int] = set()
    for rsvp in rsvps:
        event = rsvp.event
        show = can_see_event_location(user, event, membership=membership, rsvp=rsvp)
        dates.append(
            {"event": event, "when": when(event), "going": rsvp.status == Rsvp.Status.GOING}
        )
        if rsvp.status == Rsvp.Status.GOING:
            going.append(event)
            if show:
                shown.add(event.pk)
    repeats = describe_rule(
        series.rrule, first_start=core_when.local(series.first_starts_at, series.timezone)
    )
    attachments = ()
    if going:
        content = calendar_bytes(
            going, name=series.title, show_location_for=shown, base_url=settings.SITE_URL
        )
        attachments = (
            (
                f"{going[0].slug}-every-date.ics",
                content,
                "text/calendar; charset=utf-8; method=PUBLISH",
            ),
        )
    return Rendered(
        subject=_("You're going to every date: %(title)s") % {"title": series.title},
        url=reverse("events:mine"),
        template="emails/event_standing_rsvp",
        context={
            "series": series,
            "group": series.group,
            "repeats": repeats,
            "dates": dates,
            "attached": bool(going),
            "stop_url": settings.SITE_URL.rstrip("/")
            + reverse("events:standing_rsvp", args=[rsvps[0].event.slug])
            if rsvps
            else "",
        },
        summary=", ".join(d["when"] for d in dates[:3]) or repeats,
        attachments=attachments,
    )


def inbox_visible_standing(user) -> Q:
    """The recipient's own standing RSVP, of a group whose content they may still see."""
    return Q(
        Exists(
            SeriesRsvp.objects.filter(
                pk=ref_pk_sql(OuterRef("subject"), SeriesRsvp),
                user=user,
                series__group__in=Group.objects.content_visible_to(user),
            )
        )
    )


register(
    Kind(
        key=STANDING_STARTED,
        label=gettext_lazy("Going to every date"),
        description=gettext_lazy(
            "When you start going to every date of a series, with the dates for your calendar."
        ),
        render=render_standing_started,
        inbox_visible=inbox_visible_standing,
    )
)
