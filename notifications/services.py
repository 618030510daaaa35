"""Writing, moving and cancelling outbox rows; preferences; the inbox.

Domain apps call these inside their own transaction (an RSVP, an event change), so the rows
commit or roll back with the change that caused them. Delivery lives in `notifications.delivery`.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actors import person_of
from core.exceptions import ServiceError
from core.refs import dedupe_key as make_key
from core.refs import ref_for
from notifications import registry
from notifications.models import (
    Channel,
    Notification,
    NotificationPreference,
    NotificationSettings,
    default_reminder_offsets,
)
from notifications.recipients import accounts_receiving, audience, channel_on_sql, channels_on
from notifications.selectors import inbox_for

REMINDER_OFFSET_CHOICES = [7 * 24 * 60, 2 * 24 * 60, 24 * 60, 6 * 60, 2 * 60, 60, 30]
DIGEST_HOUR = 8  # local time at which the weekly digest goes out on the member's chosen day


def _kind(key: str) -> registry.Kind:
    kind = registry.get(key)
    if kind is None:
        raise LookupError(f"Notification kind {key!r} is not registered.")
    return kind


def _insert(rows: list[Notification], *, revive_cancelled: bool = False) -> list[Notification]:
    """Insert rows, skipping those whose dedupe key exists. With `revive_cancelled`, a
    cancelled row with the same key is removed first, so a reminder cancelled with an RSVP
    comes back when the member RSVPs again; a sent one stays and blocks a second copy."""
    if not rows:
        return []
    if revive_cancelled:
        Notification.objects.filter(
            dedupe_key__in=[r.dedupe_key for r in rows], status=Notification.Status.CANCELLED
        ).delete()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return rows


def notification_schedule(
    *,
    recipient,
    kind: str,
    subject: str,
    dedupe_key: str,
    send_at: dt.datetime | None = None,
    context: dict | None = None,
    actor=None,
) -> list[Notification]:
    """Write one notice for one person, on each channel they keep on for this kind (none when
    the account may not receive anything). `subject` is a reference (`core.refs.ref`).
    Nobody is told of their own act: nothing is written when `actor` is the recipient."""
    spec = _kind(kind)
    if _is_actor(actor, getattr(recipient, "pk", recipient)):
        return []
    send_at = send_at or timezone.now()
    rows = [
        Notification(
            recipient=recipient,
            kind=kind,
            channel=channel,
            subject=subject,
            send_at=send_at,
            context=context or {},
            dedupe_key=make_key(dedupe_key, channel),
        )
        for channel in channels_on(user=recipient, kind=spec)
    ]
    return _insert(rows)


def _is_actor(actor, user_id) -> bool:
    person = person_of(actor)
    return person is not None and person.pk == user_id


def notification_schedule_many(
    *,
    recipient_ids: models.QuerySet | Iterable[int],
    kind: str,
    subject: str,
    dedupe_key: str,
    send_at: dt.datetime | None = None,
    context: dict | None = None,
    exclude_user_id: int | None = None,
    actor=None,
) -> int:
    """Write the same notice for many people in one read and one insert: preferences are
    checked in SQL, so a group of 5,000 costs the same number of queries as a group of 5.
    The `actor` (whoever did what the notice is about) is left out: nobody is told of their
    own act."""
    spec = _kind(kind)
    users, flags = audience(kind=spec, user_ids=recipient_ids)
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    if (person := person_of(actor)) is not None:
        users = users.exclude(pk=person.pk)
    send_at = send_at or timezone.now()
    rows = []
    for user_id, *on_flags in users.values_list("pk", *flags):
        for channel, on in zip(spec.channels, on_flags, strict=True):
            if on:
                rows.append(
                    Notification(
                        recipient_id=user_id,
                        kind=kind,
                        channel=channel,
                        subject=subject,
                        send_at=send_at,
                        context=context or {},
                        dedupe_key=make_key(dedupe_key, user_id, channel),
                    )
                )
    _insert(rows)
    return len(rows)


def reminders_schedule(
    *,
    recipient_ids: models.QuerySet | Iterable[int],
    kind: str,
    subject: str,
    starts_at: dt.datetime,
    context: dict | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Write a reminder per lead time each member chose, on each channel they keep on, in
    one read and one insert whatever the number of members. Lead times already past are
    skipped; running it again writes nothing new (dedupe keys)."""
    spec = _kind(kind)
    now = now or timezone.now()
    users, flags = audience(kind=spec, user_ids=recipient_ids)
    users = users.annotate(offsets=F("notification_settings__reminder_offsets")).values_list(
        "pk", "offsets", *flags
    )
    rows = []
    for user_id, offsets, *on in users:
        rows.extend(
            _reminder_rows(
                user_id=user_id,
                kind=kind,
                subject=subject,
                starts_at=starts_at,
                offsets=default_reminder_offsets() if offsets is None else offsets,
                channels=[c for c, enabled in zip(spec.channels, on, strict=True) if enabled],
                context=context,
                now=now,
            )
        )
    _insert(rows, revive_cancelled=True)
    return len(rows)


def _reminder_rows(
    *, user_id, kind, subject, starts_at, offsets, channels, context, now
) -> list[Notification]:
    """One reminder per lead time still ahead and channel; the dedupe key makes it once."""
    rows = []
    for minutes in sorted(set(offsets), reverse=True):
        lead = dt.timedelta(minutes=minutes)
        if starts_at - lead <= now:
            continue
        rows.extend(
            Notification(
                recipient_id=user_id,
                kind=kind,
                channel=channel,
                subject=subject,
                send_at=starts_at - lead,
                lead_time=lead,
                context={**(context or {}), "lead_minutes": minutes},
                dedupe_key=make_key(kind, subject, user_id, minutes, channel),
            )
            for channel in channels
        )
    return rows


def notifications_cancel(
    *, subject: str, kinds: Iterable[str] | None = None, recipient=None
) -> int:
    """Cancel what has not gone out yet about `subject` (for one recipient, or everyone)."""
    rows = Notification.objects.filter(subject=subject, status=Notification.Status.PENDING)
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if recipient is not None:
        rows = rows.filter(recipient=recipient)
    return rows.update(status=Notification.Status.CANCELLED, lease_expires_at=None)


def reminders_move(*, subject: str, starts_at: dt.datetime, now: dt.datetime | None = None) -> int:
    """The subject's start moved: every pending reminder keeps its lead time against the new
    start (one UPDATE); reminders whose moment has now passed are cancelled."""
    now = now or timezone.now()
    pending = Notification.objects.filter(
        subject=subject, status=Notification.Status.PENDING, lead_time__isnull=False
    )
    moved = pending.update(
        send_at=ExpressionWrapper(
            Value(starts_at, output_field=models.DateTimeField()) - F("lead_time"),
            output_field=models.DateTimeField(),
        )
    )
    pending.filter(send_at__lte=now).update(status=Notification.Status.CANCELLED)
    return moved


def notification_preferences_get(*, user) -> dict[tuple[str, str], bool]:
    """Every (kind, channel) with the member's choice or the kind's default."""
    chosen = {
        (kind, channel): enabled
        for kind, channel, enabled in NotificationPreference.objects.filter(user=user).values_list(
            "kind", "channel", "enabled"
        )
    }
    return {
        (kind.key, channel): chosen.get((kind.key, channel), kind.default_for(channel))
        for kind in registry.all_kinds()
        for channel in kind.channels
    }


def notification_settings_get(*, user) -> NotificationSettings:
    """The member's reminder and digest settings (unsaved defaults until they choose)."""
    found = NotificationSettings.objects.filter(user=user).first()
    return found or NotificationSettings(user=user)


@transaction.atomic
def notification_preferences_set(
    *,
    user,
    choices: dict[tuple[str, str], bool],
    reminder_offsets: Iterable[int] | None = None,
    digest_weekday: int | None = None,
) -> None:
    """Save the member's choices; only choices that differ from a kind's default are stored.
    What is already waiting follows the choice: a channel turned off cancels its pending rows,
    and reminders turned back on are written again for what the member is going to."""
    before = notification_preferences_get(user=user)
    reminders_turned_on = False
    for (key, channel), enabled in choices.items():
        kind = registry.get(key)
        if kind is None:
            raise ServiceError(_("There is no such kind of notification."))
        if channel not in kind.channels:
            raise ServiceError(
                _("%(kind)s is not sent by %(channel)s.") % {"kind": kind.label, "channel": channel}
            )
        was_enabled = before.get((key, channel), kind.default_for(channel))
        if was_enabled and not enabled:
            Notification.objects.filter(
                recipient=user, kind=key, channel=channel, status=Notification.Status.PENDING
            ).update(status=Notification.Status.CANCELLED)
        if enabled and not was_enabled and kind.uses_reminder_offsets:
            reminders_turned_on = True
        if enabled == kind.default_for(channel):
            NotificationPreference.objects.filter(user=user, kind=key, channel=channel).delete()
        else:
            NotificationPreference.objects.update_or_create(
                user=user, kind=key, channel=channel, defaults={"enabled": enabled}
            )
    if reminder_offsets is not None or digest_weekday is not None:
        current = notification_settings_get(user=user)
        if reminder_offsets is not None:
            offsets = sorted({int(m) for m in reminder_offsets}, reverse=True)
            if any(m not in REMINDER_OFFSET_CHOICES for m in offsets):
                raise ServiceError({"reminder_offsets": _("Unknown reminder lead time.")})
            changed = offsets != current.reminder_offsets
            current.reminder_offsets = offsets
        if digest_weekday is not None:
            current.digest_weekday = digest_weekday
        try:
            current.full_clean()
        except ValidationError as error:
            raise ServiceError.from_validation_error(error) from error
        current.save()
        if reminder_offsets is not None and changed:
            _reminders_reschedule(user=user, offsets=current.reminder_offsets)
            return
    if reminders_turned_on:
        _reminders_reschedule(
            user=user, offsets=notification_settings_get(user=user).reminder_offsets
        )


def _reminders_reschedule(*, user, offsets: list[int]) -> None:
    """New lead times apply to what the member is already going to: pending reminders at
    other lead times are cancelled, and each kind with reminders names the subjects still
    ahead (its `reminder_subjects`), so turning reminders off and on again brings them back."""
    now = timezone.now()
    wanted = [dt.timedelta(minutes=m) for m in offsets]
    Notification.objects.filter(
        recipient=user, status=Notification.Status.PENDING, lead_time__isnull=False
    ).exclude(lead_time__in=wanted).update(status=Notification.Status.CANCELLED)
    rows = []
    for kind in registry.all_kinds():
        if not kind.uses_reminder_offsets or kind.reminder_subjects is None or not offsets:
            continue
        channels = channels_on(user=user, kind=kind)
        for subject, starts_at in kind.reminder_subjects(user=user, now=now):
            rows.extend(
                _reminder_rows(
                    user_id=user.pk,
                    kind=kind.key,
                    subject=subject,
                    starts_at=starts_at,
                    offsets=offsets,
                    channels=channels,
                    context=None,
                    now=now,
                )
            )
    _insert(rows, revive_cancelled=True)


def notification_unsubscribe(*, user, kind: str) -> None:
    """One-click unsubscribe: no more emails of this kind (the inbox is left as it is)."""
    notification_preferences_set(user=user, choices={(kind, Channel.EMAIL): False})


def notifications_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the member's inbox items read (all those the inbox shows when no ids are given)."""
    rows = inbox_for(user=user).filter(read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())


def notifications_retry(*, notification_ids: Iterable[int]) -> int:
    """Staff asked to try failed rows again: they go back to the queue with fresh attempts."""
    return Notification.objects.filter(
        pk__in=list(notification_ids), status=Notification.Status.FAILED
    ).update(
        status=Notification.Status.PENDING,
        send_at=timezone.now(),
        attempts=0,
        claim_token=None,
        lease_expires_at=None,
    )


def notification_digests_schedule(*, now: dt.datetime | None = None) -> int:
    """Write this week's digest for members who opted in, once their chosen weekday has
    reached DIGEST_HOUR in their own time zone. Safe to run every hour (one row per ISO week)."""
    now = now or timezone.now()
    users_model = get_user_model()
    written = 0
    for kind in registry.all_kinds():
        if not kind.weekly:
            continue
        channel = Channel.EMAIL
        opted_in = accounts_receiving().filter(channel_on_sql(kind, channel))
        for tz_name in opted_in.values_list("timezone", flat=True).distinct():
            try:
                local = now.astimezone(zoneinfo.ZoneInfo(tz_name))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                continue
            if local.hour < DIGEST_HOUR:
                continue
            weekday_q = models.Q(notification_settings__digest_weekday=local.weekday())
            if local.weekday() == NotificationSettings.Weekday.MONDAY:
                weekday_q |= models.Q(notification_settings__isnull=True)
            year, week, _ = local.isocalendar()
            rows = [
                Notification(
                    recipient_id=user_id,
                    kind=kind.key,
                    channel=channel,
                    subject=ref_for(users_model, user_id),
                    send_at=now,
                    context={"week_of": local.date().isoformat()},
                    dedupe_key=make_key(kind.key, user_id, f"{year}-W{week:02d}", channel),
                )
                for user_id in opted_in.filter(weekday_q, timezone=tz_name).values_list(
                    "pk", flat=True
                )
            ]
            Notification.objects.bulk_create(rows, ignore_conflicts=True)
            written += len(rows)
    return written
