"""What the groups app tells people. Called by groups services inside their transaction."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.refs import dedupe_key, ref, ref_pk, ref_pk_sql
from groups.models import Membership
from groups.selectors import notice_audience
from notifications import services as outbox
from notifications.registry import Kind, Rendered, register

JOIN_APPROVED = "groups.join_approved"


def on_join_request_approved(*, membership: Membership) -> None:
    """An organizer approved a request to join."""
    subject = ref(membership)
    outbox.notification_schedule(
        recipient=membership.user,
        kind=JOIN_APPROVED,
        subject=subject,
        dedupe_key=dedupe_key(JOIN_APPROVED, subject),
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
