"""Reads for the inbox (only the member's own delivered items that they may still see) and for
the one-click unsubscribe link."""

from collections import defaultdict
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from core import header
from core.exceptions import NotFound
from notifications import registry
from notifications.models import Channel, Notification
from notifications.recipients import accounts_receiving
from notifications.unsubscribe import unsubscribe_token_read


def inbox_for(*, user) -> QuerySet[Notification]:
    """The member's delivered inbox items they may still see, newest first. A notice about
    something hidden from them since (a private group that banned them) is left out here, in
    SQL, so the pages, the unread count and mark-all-read agree."""
    # Kinds sharing one check (the RSVP notices) ask it once: kind IN (...) AND check.
    kinds_by_check = defaultdict(list)
    for kind in registry.all_kinds():
        if Channel.INBOX in kind.channels:
            kinds_by_check[kind.inbox_visible].append(kind.key)
    shown = [
        Q(kind__in=keys) & (check(user) if check else Q()) for check, keys in kinds_by_check.items()
    ]
    if not shown:
        return Notification.objects.none()
    return (
        Notification.objects.filter(
            recipient=user, channel=Channel.INBOX, status=Notification.Status.SENT
        )
        .filter(reduce(or_, shown))
        .select_related("recipient")  # the renderers read it for every row
        .order_by("-sent_at", "-pk")
    )


def _unread(user) -> QuerySet[Notification]:
    return inbox_for(user=user).filter(read_at__isnull=True)


def inbox_unread(user):
    """The unread count as an expression, for the header's one query (core.header): the same
    query as the inbox's, compiled once per process for the kinds registered."""
    kinds = tuple((kind.key, kind.inbox_visible) for kind in registry.all_kinds())
    return header.compiled_count_of(_unread, user, key=("inbox_unread", kinds))


def inbox_unread_count(*, user) -> int:
    """How many of the items `inbox_for` shows the member has not marked read."""
    return inbox_for(user=user).filter(read_at__isnull=True).count()


def access_unsubscribe(*, token: str) -> tuple:
    """The (account, kind) a signed unsubscribe link names; NotFound when the token was
    tampered with, the kind is unknown or the account may no longer receive anything."""
    found = unsubscribe_token_read(token)
    if found is None:
        raise NotFound
    user_id, kind_key = found
    kind = registry.get(kind_key)
    user = accounts_receiving([user_id]).first()
    if kind is None or user is None:
        raise NotFound
    return user, kind
