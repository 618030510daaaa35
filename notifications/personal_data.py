"""What the notifications app holds about a person: exported on request, erased on deletion."""

from accounts.personal_data import register
from notifications.models import Notification, NotificationPreference, NotificationSettings


def _iso(value):
    return value.isoformat() if value else None


def export(user) -> dict:
    """The person's notification choices, reminder times and the notices written for them."""
    found = NotificationSettings.objects.filter(user=user).first()
    return {
        "preferences": [
            {"kind": kind, "channel": channel, "enabled": enabled}
            for kind, channel, enabled in NotificationPreference.objects.filter(user=user)
            .order_by("kind", "channel")
            .values_list("kind", "channel", "enabled")
        ],
        "reminder_minutes_before": found.reminder_offsets if found else None,
        "digest_weekday": found.digest_weekday if found else None,
        "notifications": [
            {
                "kind": n.kind,
                "channel": n.channel,
                "status": n.status,
                "send_at": _iso(n.send_at),
                "sent_at": _iso(n.sent_at),
                "read_at": _iso(n.read_at),
            }
            for n in Notification.objects.filter(recipient=user).order_by("send_at", "pk")
        ],
    }


def erase(user) -> None:
    """A deleted account keeps no outbox, inbox or preferences."""
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    NotificationSettings.objects.filter(user=user).delete()


register("notifications", export=export, erase=erase)
