"""How the notifications app reacts to what other apps announce (see core.events)."""

from core.events import subscribe
from notifications.models import Notification, NotificationPreference, NotificationSettings


def _user_deleting(*, topic: str, user, **payload) -> None:
    """A deleted account keeps no outbox, inbox or preferences."""
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    NotificationSettings.objects.filter(user=user).delete()


subscribe("user.deleting", _user_deleting)
