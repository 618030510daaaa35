"""Start-up checks for the delivery settings."""

from django.conf import settings
from django.core.checks import Warning, register

from notifications.delivery import lease_duration


@register()
def lease_outlasts_a_send(app_configs, **kwargs):
    """A send task renews a lease that is half gone, so half a lease must cover the longest a
    task may run; otherwise a slow batch is claimed again mid-send and sent twice."""
    limit = getattr(settings, "CELERY_TASK_TIME_LIMIT", None)
    if limit and lease_duration().total_seconds() < 2 * limit:
        return [
            Warning(
                "NOTIFICATIONS_LEASE_SECONDS should be at least twice CELERY_TASK_TIME_LIMIT.",
                id="notifications.W001",
            )
        ]
    return []
