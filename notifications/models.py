"""The notification outbox, members' preferences and their reminder lead times.

A `Notification` row is one message to one person on one channel, written in the same
transaction as the change that caused it and delivered later by the dispatcher (see
`notifications.delivery`). The outbox knows no domain: a row points at its subject with a
reference such as "events.event:42", and the app that registered the kind renders it.
"""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

DEFAULT_REMINDER_OFFSETS = [24 * 60, 2 * 60]  # minutes before the start


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


def new_message_id() -> str:
    """A Message-ID fixed when the row is written, so a re-sent email keeps the same one."""
    domain = urlsplit(settings.SITE_URL).hostname or "connect.invalid"
    return f"<{uuid.uuid4().hex}@{domain}>"


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    INBOX = "inbox", _("Inbox on the site")


class Notification(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        CLAIMED = "claimed", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=60)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel)
    subject = models.CharField(
        _("about"), max_length=100, help_text=_('What it is about, e.g. "events.event:42".')
    )
    send_at = models.DateTimeField(_("send at"))
    lead_time = models.DurationField(
        _("lead time"),
        null=True,
        blank=True,
        help_text=_("For reminders: how long before the subject's start it goes out."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    claim_token = models.UUIDField(null=True, blank=True, db_index=True, editable=False)
    lease_expires_at = models.DateTimeField(_("lease expires"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    dedupe_key = models.CharField(_("dedupe key"), max_length=200, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=120, default=new_message_id)
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The dispatcher's scan: due pending rows, oldest first.
            models.Index(fields=["status", "send_at"], name="notification_due"),
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(status="claimed"),
                name="notification_claimed_lease",
            ),
            models.Index(fields=["subject", "status"], name="notification_subject"),
            models.Index(
                fields=["recipient", "channel", "status", "read_at"], name="notification_inbox"
            ),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_id} ({self.channel}, {self.status})"


class NotificationPreference(models.Model):
    """A member's choice for one kind on one channel; absent means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel)
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "channel"], name="notification_preference_once"
            )
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}/{self.channel}: {self.enabled}"


class NotificationSettings(models.Model):
    """When a member wants reminders and the weekly digest."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    reminder_offsets = models.JSONField(
        _("reminders, in minutes before the start"), default=default_reminder_offsets, blank=True
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekly digest day"), choices=Weekday.choices, default=Weekday.MONDAY
    )

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return f"{self.user_id}: {self.reminder_offsets}"
