"""Who may receive a notice, as far as the notifications app knows: an active account (not
deactivated, not deleted) that has not turned the kind off on the channel. Each rule is written
once, as a predicate for one person and as a queryset for an audience; the services, the digest
scan and delivery's send-time re-check all ask these. Whether someone still belongs to a group
is the groups app's rule (`groups.selectors.notice_audience`, `groups.permissions`).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef

from notifications import registry
from notifications.models import NotificationPreference


def account_may_receive(user) -> bool:
    """May this account be sent anything at all? Not once deactivated or deleted."""
    return bool(user.is_active and getattr(user, "deleted_at", None) is None)


def accounts_receiving(user_ids: models.QuerySet | Iterable[int] | None = None) -> models.QuerySet:
    """The accounts that may be sent anything (among `user_ids` when given): the queryset twin
    of `account_may_receive`."""
    users = get_user_model().objects.filter(is_active=True, deleted_at__isnull=True)
    if user_ids is not None:
        users = users.filter(pk__in=user_ids)
    return users


def channels_on(*, user, kind: registry.Kind) -> list[str]:
    """The channels on which this person gets `kind`: their choice, else the kind's default;
    none for an account that may not receive anything."""
    if not account_may_receive(user):
        return []
    chosen = dict(
        NotificationPreference.objects.filter(user=user, kind=kind.key).values_list(
            "channel", "enabled"
        )
    )
    return [c for c in kind.channels if chosen.get(c, kind.default_for(c))]


def channel_on_sql(kind: registry.Kind, channel: str) -> models.Expression:
    """SQL twin of `channels_on` for one channel, on a queryset of users: true when the user
    keeps `channel` on for `kind`."""
    prefs = NotificationPreference.objects.filter(
        user=OuterRef("pk"), kind=kind.key, channel=channel
    )
    if kind.default_for(channel):
        return ~Exists(prefs.filter(enabled=False))
    return Exists(prefs.filter(enabled=True))


def audience(
    *, kind: registry.Kind, user_ids: models.QuerySet | Iterable[int] | None = None
) -> tuple[models.QuerySet, list[str]]:
    """The accounts that may receive `kind` (among `user_ids`), each annotated with one boolean
    per channel (`on_<channel>`, the names returned): one query for any number of people."""
    flags = {f"on_{channel}": channel_on_sql(kind, channel) for channel in kind.channels}
    return accounts_receiving(user_ids).annotate(**flags), list(flags)
