"""Celery tasks of the events app: thin, they load rows and call services."""

import logging

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from events.models import EventSeries
from events.services import event_series_materialize

logger = logging.getLogger(__name__)


@shared_task(name="events.tasks.event_series_materialize_all_task")
def event_series_materialize_all_task() -> int:
    """Create the coming occurrences of every running series (hourly, from beat) and book them
    for the series' standing RSVPs; safe to run twice. One series failing does not stop the
    others."""
    created = 0
    running = EventSeries.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=timezone.now()))
    for series in running.order_by("pk").iterator():
        try:
            created += event_series_materialize(series=series)
        except Exception:
            logger.exception("Could not materialize series %s", series.pk)
    return created
