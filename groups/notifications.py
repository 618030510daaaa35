"""What the groups app tells people. Called by groups services inside their transaction."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import blocked_either_way_q
from core.refs import dedupe_key, ref, ref_for, ref_pk, ref_pk_sql
from groups.models import Group, Membership, Report
from groups.permissions import can_view_group
from groups.selectors import notice_audience
from notifications import services as outbox
from notifications.registry import Kind, Rendered, register

JOIN_APPROVED = "groups.join_approved"


def on_join_request_approved(*, membership: Membership, actor=None) -> None:
    """An organizer approved a request to join (not told when they approved their own, as a
    site moderator may)."""
    subject = ref(membership)
    outbox.notification_schedule(
        recipient=membership.user,
        kind=JOIN_APPROVED,
        subject=subject,
        dedupe_key=dedupe_key(JOIN_APPROVED, subject),
        actor=actor,
    )


def _membership_id(subject: str) -> int | None:
    return ref_pk(subject, Membership)


def render_join_approved(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """ "You're in": only while the membership is still active and still the recipient's."""
    memberships = Membership.objects.select_related("group").in_bulk(
        {_membership_id(r.subject) for r in rows} - {None}
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        membership = memberships.get(_membership_id(row.subject))
        if membership is None or membership.user_id != row.recipient_id or not membership.is_active:
            result[row.pk] = None
            continue
        group = membership.group
        result[row.pk] = Rendered(
            subject=_("You're in: welcome to %(group)s") % {"group": group.name},
            url=group.get_absolute_url(),
            template="emails/group_join_approved",
            context={"group": group},
            summary=_("Your request to join was approved."),
        )
    return result


def inbox_visible_join_approved(user) -> Q:
    """The renderer's inbox check in SQL: the membership is still active and the recipient's."""
    membership_pk = ref_pk_sql(OuterRef("subject"), Membership)
    return Q(Exists(notice_audience(user_ids=[user.pk]).filter(pk=membership_pk)))


register(
    Kind(
        key=JOIN_APPROVED,
        label=gettext_lazy("Join requests approved"),
        description=gettext_lazy("When an organizer lets you into a group."),
        render=render_join_approved,
        inbox_visible=inbox_visible_join_approved,
    )
)


# What organizers decide about a person: the person is told (except for a ban). The membership
# row of a declined request or a removed member is gone, so the notice keeps what it says (the
# group's name, the organizer's note) in its context, and links to the group only while the
# person may still open it.
JOIN_DECLINED = "groups.join_declined"
MEMBER_REMOVED = "groups.member_removed"
ROLE_CHANGED = "groups.role_changed"
JOIN_REQUESTED = "groups.join_requested"


def _told(kind: str, membership: Membership, *, note: str, version: str, actor=None) -> None:
    subject = ref(membership.group)
    outbox.notification_schedule(
        recipient=membership.user,
        kind=kind,
        subject=subject,
        dedupe_key=dedupe_key(kind, subject, membership.user_id, version),
        context={"group_name": membership.group.name, "note": note},
        actor=actor,
    )


def on_join_request_declined(*, membership: Membership, note: str, actor=None) -> None:
    """An organizer turned down a request to join, perhaps with a kind note."""
    _told(
        JOIN_DECLINED,
        membership,
        note=note,
        version=membership.created_at.isoformat(),
        actor=actor,
    )


def on_member_removed(*, membership: Membership, reason: str) -> None:
    """An organizer or host removed someone (never sent for a ban)."""
    _told(MEMBER_REMOVED, membership, note=reason, version=membership.updated_at.isoformat())


def on_role_changed(*, membership: Membership, actor=None) -> None:
    """Someone became a host or an organizer: they are told what they may now do (unless they
    changed their own role)."""
    subject = ref(membership)
    outbox.notification_schedule(
        recipient=membership.user,
        kind=ROLE_CHANGED,
        subject=subject,
        dedupe_key=dedupe_key(
            ROLE_CHANGED, subject, membership.role, membership.updated_at.isoformat()
        ),
        context={"role": membership.role},
        actor=actor,
    )


def on_join_requested(*, membership: Membership) -> None:
    """Someone asked to join: the group's active organizers are told (one read, one insert)."""
    subject = ref(membership)
    organizers = Membership.objects.filter(
        group_id=membership.group_id,
        role=Membership.Role.ORGANIZER,
        status=Membership.Status.ACTIVE,
    ).values("user_id")
    outbox.notification_schedule_many(
        recipient_ids=organizers,
        kind=JOIN_REQUESTED,
        subject=subject,
        dedupe_key=dedupe_key(JOIN_REQUESTED, subject),
    )


def _group_id(subject: str) -> int | None:
    return ref_pk(subject, Group)


def _render_told(rows, *, template: str, subject_text, summary) -> dict[int, Rendered | None]:
    groups = Group.objects.in_bulk({_group_id(r.subject) for r in rows} - {None})
    result: dict[int, Rendered | None] = {}
    for row in rows:
        group = groups.get(_group_id(row.subject))
        name = row.context.get("group_name", "")
        url = group.get_absolute_url() if group and can_view_group(row.recipient, group) else ""
        result[row.pk] = Rendered(
            subject=subject_text % {"group": name},
            url=url,
            template=template,
            context={"group_name": name, "note": row.context.get("note", "")},
            summary=summary,
        )
    return result


def render_join_declined(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    return _render_told(
        rows,
        template="emails/group_join_declined",
        subject_text=_("About your request to join %(group)s"),
        summary=_("Your request to join was not accepted."),
    )


def render_member_removed(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    return _render_told(
        rows,
        template="emails/group_member_removed",
        subject_text=_("You are no longer a member of %(group)s"),
        summary=_("An organizer removed you from the group."),
    )


def render_role_changed(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """Only while the person is still an active member with that role."""
    memberships = Membership.objects.select_related("group").in_bulk(
        {_membership_id(r.subject) for r in rows} - {None}
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        membership = memberships.get(_membership_id(row.subject))
        role = row.context.get("role")
        if (
            membership is None
            or membership.user_id != row.recipient_id
            or not membership.is_active
            or membership.role != role
        ):
            result[row.pk] = None
            continue
        result[row.pk] = Rendered(
            subject=_("You are now %(role)s of %(group)s")
            % {"role": ROLE_NAMES.get(role, role), "group": membership.group.name},
            url=membership.group.get_absolute_url(),
            template="emails/group_role_changed",
            context={
                "group": membership.group,
                "role_name": ROLE_NAMES.get(role, role),
                "role_description": ROLE_DESCRIPTIONS.get(role, ""),
            },
            summary=str(ROLE_DESCRIPTIONS.get(role, "")),
        )
    return result


def render_join_requested(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """Only while the request is still waiting and the recipient still organizes the group."""
    memberships = Membership.objects.select_related("group", "user").in_bulk(
        {_membership_id(r.subject) for r in rows} - {None}
    )
    organizing = set(
        Membership.objects.filter(
            group_id__in={m.group_id for m in memberships.values()},
            user_id__in={r.recipient_id for r in rows},
            role=Membership.Role.ORGANIZER,
            status=Membership.Status.ACTIVE,
        ).values_list("group_id", "user_id")
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        membership = memberships.get(_membership_id(row.subject))
        if (
            membership is None
            or membership.status != Membership.Status.PENDING
            or (membership.group_id, row.recipient_id) not in organizing
        ):
            result[row.pk] = None
            continue
        group = membership.group
        result[row.pk] = Rendered(
            subject=_("%(name)s asked to join %(group)s")
            % {"name": membership.user.public_name, "group": group.name},
            url=reverse("groups:requests", args=[group.slug]),
            template="emails/group_join_requested",
            context={"group": group, "person": membership.user.public_name},
            summary=_("A request to join is waiting for you."),
        )
    return result


def inbox_visible_role_changed(user) -> Q:
    membership_pk = ref_pk_sql(OuterRef("subject"), Membership)
    return Q(Exists(notice_audience(user_ids=[user.pk]).filter(pk=membership_pk)))


def inbox_visible_join_requested(user) -> Q:
    """Still waiting, and the recipient still organizes the group."""
    membership_pk = ref_pk_sql(OuterRef("subject"), Membership)
    organizing = Membership.objects.filter(
        user=user, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    ).values("group_id")
    return Q(
        Exists(
            Membership.objects.filter(
                pk=membership_pk, status=Membership.Status.PENDING, group_id__in=organizing
            )
        )
    )


ROLE_NAMES = {
    Membership.Role.ORGANIZER: gettext_lazy("an organizer"),
    Membership.Role.HOST: gettext_lazy("a host"),
    Membership.Role.MEMBER: gettext_lazy("a member"),
}
# What each role may do, said once: the workspace's role choices and the role notice use it.
ROLE_DESCRIPTIONS = {
    Membership.Role.ORGANIZER: gettext_lazy(
        "Runs the group: its details, who joins, roles, removals and bans, messages to "
        "members, and everything a host does."
    ),
    Membership.Role.HOST: gettext_lazy(
        "Runs events: creates and edits them, sees who is coming, checks people in and "
        "messages the people going."
    ),
    Membership.Role.MEMBER: gettext_lazy("Comes to events and sees what members see."),
}

register(
    Kind(
        key=JOIN_DECLINED,
        label=gettext_lazy("Join requests declined"),
        description=gettext_lazy("When organizers turn down your request to join a group."),
        render=render_join_declined,
    )
)
register(
    Kind(
        key=MEMBER_REMOVED,
        label=gettext_lazy("Removed from a group"),
        description=gettext_lazy("When organizers remove you from a group."),
        render=render_member_removed,
    )
)
register(
    Kind(
        key=ROLE_CHANGED,
        label=gettext_lazy("New role in a group"),
        description=gettext_lazy("When you are made a host or an organizer."),
        render=render_role_changed,
        inbox_visible=inbox_visible_role_changed,
    )
)
register(
    Kind(
        key=JOIN_REQUESTED,
        label=gettext_lazy("Someone asked to join (organizers)"),
        description=gettext_lazy(
            "When someone asks to join a group you organize, at once (the daily summary "
            "gathers them instead)."
        ),
        render=render_join_requested,
        inbox_visible=inbox_visible_join_requested,
    )
)


# Messages from organizers. What they say is kept in the row's context; they go out (and stay in
# the inbox) only while the recipient is still an active member of the group. They come from
# the site's address: replies reach no organizer.
GROUP_MESSAGE = "groups.message"


def on_group_message(
    *, group: Group, sender, subject: str, body: str, key: str, user_ids=None
) -> int:
    """Write the message to every active member (those among `user_ids` when given) but the
    sender and those who blocked them or whom they blocked (one read, one insert)."""
    return outbox.notification_schedule_many(
        recipient_ids=notice_audience(group_ids=[group.pk], user_ids=user_ids)
        .exclude(blocked_either_way_q(sender, field="user_id"))
        .values("user_id"),
        kind=GROUP_MESSAGE,
        subject=ref(group),
        dedupe_key=dedupe_key(GROUP_MESSAGE, group, key),
        context=message_context(group_name=group.name, sender=sender, subject=subject, body=body),
        exclude_user_id=getattr(sender, "pk", None),
    )


def message_context(*, group_name: str, sender, subject: str, body: str) -> dict:
    return {
        "group_name": group_name,
        "sender": sender.public_name if sender is not None else "",
        "message_subject": subject,
        "body": body,
    }


def render_message(rows, *, url_for, allowed) -> dict[int, Rendered | None]:
    """Organizer messages (the group's or an event's): `allowed(row)` says whether the
    recipient may still get it; `url_for(row)` links to what it is about."""
    result: dict[int, Rendered | None] = {}
    for row in rows:
        if not allowed(row):
            result[row.pk] = None
            continue
        context = dict(row.context)
        result[row.pk] = Rendered(
            subject=f"{context.get('group_name', '')}: {context.get('message_subject', '')}",
            url=url_for(row),
            template="emails/organizer_message",
            context=context,
            summary=context.get("body", "")[:200],
        )
    return result


def render_group_message(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    groups = Group.objects.in_bulk({_group_id(r.subject) for r in rows} - {None})
    members = set(
        notice_audience(
            group_ids=list(groups), user_ids={r.recipient_id for r in rows}
        ).values_list("group_id", "user_id")
    )
    return render_message(
        rows,
        url_for=lambda row: groups[_group_id(row.subject)].get_absolute_url(),
        allowed=lambda row: (_group_id(row.subject), row.recipient_id) in members,
    )


def inbox_visible_group_message(user) -> Q:
    group_pk = ref_pk_sql(OuterRef("subject"), Group)
    return Q(Exists(notice_audience(user_ids=[user.pk]).filter(group_id=group_pk)))


register(
    Kind(
        key=GROUP_MESSAGE,
        label=gettext_lazy("Messages from organizers"),
        description=gettext_lazy("What the organizers of your groups send to their members."),
        render=render_group_message,
        inbox_visible=inbox_visible_group_message,
    )
)


# A report for the organizers to review: it names what was reported, never who reported it.
REPORT_TO_REVIEW = "groups.report_to_review"


def on_report_filed(*, report) -> None:
    """A report about the group's content: its active organizers are told (never the person
    reported, were they one)."""
    subject = ref(report)
    organizers = Membership.objects.filter(
        group_id=report.group_id,
        role=Membership.Role.ORGANIZER,
        status=Membership.Status.ACTIVE,
    ).values("user_id")
    outbox.notification_schedule_many(
        recipient_ids=organizers,
        kind=REPORT_TO_REVIEW,
        subject=subject,
        dedupe_key=dedupe_key(REPORT_TO_REVIEW, subject),
        exclude_user_id=report.reported_user_id,
    )


def render_report_to_review(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """Only while the report is open and the recipient still organizes the group."""
    reports = Report.objects.select_related("group").in_bulk(
        {ref_pk(r.subject, Report) for r in rows} - {None}
    )
    organizing = set(
        Membership.objects.filter(
            group_id__in={r.group_id for r in reports.values()},
            user_id__in={r.recipient_id for r in rows},
            role=Membership.Role.ORGANIZER,
            status=Membership.Status.ACTIVE,
        ).values_list("group_id", "user_id")
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        report = reports.get(ref_pk(row.subject, Report))
        if (
            report is None
            or not report.is_open
            or report.for_staff
            or (report.group_id, row.recipient_id) not in organizing
        ):
            result[row.pk] = None
            continue
        group = report.group
        result[row.pk] = Rendered(
            subject=_("A report to review in %(group)s") % {"group": group.name},
            url=reverse("workspace:reports", args=[group.slug]),
            template="emails/group_report_to_review",
            context={"group": group, "about": report.get_about_display()},
            summary=_("Someone reported something in your group."),
        )
    return result


def inbox_visible_report_to_review(user) -> Q:
    """Still open, and the recipient still organizes the group."""
    report_pk = ref_pk_sql(OuterRef("subject"), Report)
    organizing = Membership.objects.filter(
        user=user, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    ).values("group_id")
    return Q(
        Exists(
            Report.objects.filter(
                pk=report_pk,
                status=Report.Status.OPEN,
                for_staff=False,
                group_id__in=organizing,
            )
        )
    )


register(
    Kind(
        key=REPORT_TO_REVIEW,
        label=gettext_lazy("A report to review (organizers)"),
        description=gettext_lazy(
            "When someone reports an event or a member of a group you organize."
        ),
        render=render_report_to_review,
        inbox_visible=inbox_visible_report_to_review,
    )
)


# "Contact the organizers": a person's message relayed to the group's organizers. It comes from
# the site's address and shows the sender's public name only; it stays while the recipient
# still organizes the group.
ORGANIZERS_CONTACTED = "groups.organizers_contacted"


def _organizers(group_id: int):
    return Membership.objects.filter(
        group_id=group_id, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    )


def on_organizers_contacted(*, group: Group, sender, subject: str, body: str, key: str) -> int:
    """Write the message to every active organizer but the sender and those blocked either
    way with them (one read, one insert)."""
    return outbox.notification_schedule_many(
        recipient_ids=_organizers(group.pk)
        .exclude(blocked_either_way_q(sender, field="user_id"))
        .values("user_id"),
        kind=ORGANIZERS_CONTACTED,
        subject=ref(group),
        dedupe_key=dedupe_key(ORGANIZERS_CONTACTED, group, key),
        context=message_context(group_name=group.name, sender=sender, subject=subject, body=body),
        exclude_user_id=sender.pk,
    )


def render_organizers_contacted(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    groups = Group.objects.in_bulk({_group_id(r.subject) for r in rows} - {None})
    organizing = set(
        Membership.objects.filter(
            group_id__in=list(groups),
            user_id__in={r.recipient_id for r in rows},
            role=Membership.Role.ORGANIZER,
            status=Membership.Status.ACTIVE,
        ).values_list("group_id", "user_id")
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        group = groups.get(_group_id(row.subject))
        if group is None or (group.pk, row.recipient_id) not in organizing:
            result[row.pk] = None
            continue
        context = dict(row.context)
        result[row.pk] = Rendered(
            subject=_("%(name)s wrote to the organizers of %(group)s: %(subject)s")
            % {
                "name": context.get("sender", ""),
                "group": group.name,
                "subject": context.get("message_subject", ""),
            },
            url=group.get_absolute_url(),
            template="emails/organizers_contacted",
            context=context,
            summary=context.get("body", "")[:200],
        )
    return result


def inbox_visible_organizers_contacted(user) -> Q:
    group_pk = ref_pk_sql(OuterRef("subject"), Group)
    return Q(Exists(_organizers_of_user(user).filter(group_id=group_pk)))


def _organizers_of_user(user):
    return Membership.objects.filter(
        user=user, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    )


register(
    Kind(
        key=ORGANIZERS_CONTACTED,
        label=gettext_lazy("Messages to the organizers (organizers)"),
        description=gettext_lazy("When someone writes to the organizers of a group you organize."),
        render=render_organizers_contacted,
        inbox_visible=inbox_visible_organizers_contacted,
    )
)


# The daily summary of requests to join, for organizers who choose it (off unless chosen; they
# may then turn off the notice for each request).
JOIN_REQUESTS_DAILY = "groups.join_requests_daily"
SUMMARY_PERIOD = dt.timedelta(days=1)


def join_request_summaries_schedule(*, now: dt.datetime | None = None) -> int:
    """Write today's summary for each group with new requests to join in the last day, to its
    organizers who chose it. Safe to run twice a day (one row per group, organizer and date:
    a second run adds nothing). Returns the notices offered."""
    now = now or timezone.now()
    since = now - SUMMARY_PERIOD
    new_counts = dict(
        Membership.objects.filter(status=Membership.Status.PENDING, created_at__gte=since)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    written = 0
    for group_id, new in sorted(new_counts.items()):
        subject = ref_for(Group, group_id)
        written += outbox.notification_schedule_many(
            recipient_ids=_organizers(group_id).values("user_id"),
            kind=JOIN_REQUESTS_DAILY,
            subject=subject,
            dedupe_key=dedupe_key(JOIN_REQUESTS_DAILY, subject, now.date().isoformat()),
            context={"new": new},
            send_at=now,
        )
    return written


def render_join_requests_daily(rows, *, delivering: bool = True) -> dict[int, Rendered | None]:
    """Only while requests still wait and the recipient still organizes the group."""
    groups = Group.objects.in_bulk({_group_id(r.subject) for r in rows} - {None})
    waiting = dict(
        Membership.objects.filter(group_id__in=list(groups), status=Membership.Status.PENDING)
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    organizing = set(
        _organizers_in(list(groups))
        .filter(user_id__in={r.recipient_id for r in rows})
        .values_list("group_id", "user_id")
    )
    result: dict[int, Rendered | None] = {}
    for row in rows:
        group = groups.get(_group_id(row.subject))
        if (
            group is None
            or not waiting.get(group.pk)
            or (group.pk, row.recipient_id) not in organizing
        ):
            result[row.pk] = None
            continue
        result[row.pk] = Rendered(
            subject=_("Requests to join %(group)s today") % {"group": group.name},
            url=reverse("groups:requests", args=[group.slug]),
            template="emails/group_join_requests_daily",
            context={
                "group": group,
                "new": row.context.get("new", 0),
                "waiting": waiting[group.pk],
            },
            summary=ngettext(
                "%(n)s request waits for you.", "%(n)s requests wait for you.", waiting[group.pk]
            )
            % {"n": waiting[group.pk]},
        )
    return result


def _organizers_in(group_ids):
    return Membership.objects.filter(
        group_id__in=group_ids, role=Membership.Role.ORGANIZER, status=Membership.Status.ACTIVE
    )


register(
    Kind(
        key=JOIN_REQUESTS_DAILY,
        label=gettext_lazy("Daily summary of requests to join (organizers)"),
        description=gettext_lazy(
            "Once a day, how many people asked to join a group you organize. Choose it and "
            "turn off “Someone asked to join” to get requests in one message a day."
        ),
        render=render_join_requests_daily,
        inbox_visible=inbox_visible_organizers_contacted,
        default_channels=frozenset(),
    )
)
