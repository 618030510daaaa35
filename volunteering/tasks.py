"""Celery tasks of the volunteering app: thin, they load rows and call services."""

import logging

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from volunteering.models import ShiftSeries
from volunteering.services import shift_series_materialize

logger = logging.getLogger(__name__)


@shared_task(name="volunteering.tasks.shift_series_materialize_all_task")
def shift_series_materialize_all_task() -> int:
    """Create the coming shifts of every running series (hourly, from beat); safe to run twice.
    One series failing does not stop the others."""
    created = 0
    running = ShiftSeries.objects.filter(Q(ended_at__isnull=True) | Q(ended_at__gt=timezone.now()))
    for series in running.order_by("pk").iterator():
        try:
            created += shift_series_materialize(series=series)
        except Exception:
            logger.exception("Could not materialize shift series %s", series.pk)
    return created
