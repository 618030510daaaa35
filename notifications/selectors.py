"""Reads for the inbox: only the member's own delivered inbox items."""

from django.db.models import QuerySet

from notifications.models import Channel, Notification


def inbox_list(*, user) -> QuerySet[Notification]:
    """The member's delivered inbox items, newest first."""
    return Notification.objects.filter(
        recipient=user, channel=Channel.INBOX, status=Notification.Status.SENT
    ).order_by("-sent_at", "-pk")


def inbox_unread_count(*, user) -> int:
    """How many delivered inbox items the member has not marked read."""
    return inbox_list(user=user).filter(read_at__isnull=True).count()
