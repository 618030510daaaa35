"""Reads for the inbox: only the member's own delivered inbox items that they may still see."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from notifications import registry
from notifications.models import Channel, Notification


def inbox_for(*, user) -> QuerySet[Notification]:
    """The member's delivered inbox items they may still see, newest first. A notice about
    something hidden from them since (a private group that banned them) is left out here, in
    SQL, so the pages, the unread count and mark-all-read agree."""
    shown = [
        Q(kind=kind.key) & (kind.inbox_visible(user) if kind.inbox_visible else Q())
        for kind in registry.all_kinds()
        if Channel.INBOX in kind.channels
    ]
    if not shown:
        return Notification.objects.none()
    return (
        Notification.objects.filter(
            recipient=user, channel=Channel.INBOX, status=Notification.Status.SENT
        )
        .filter(reduce(or_, shown))
        .order_by("-sent_at", "-pk")
    )


def inbox_unread_count(*, user) -> int:
    """How many of the items `inbox_for` shows the member has not marked read."""
    return inbox_for(user=user).filter(read_at__isnull=True).count()
