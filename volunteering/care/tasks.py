"""Celery tasks of care calendars: thin, they call the care services."""

import logging

from celery import shared_task

from volunteering.care.services import care_empty_slots_alert, care_slot_series_materialize
from volunteering.care_models import CareCalendar, CareSlotSeries

logger = logging.getLogger(__name__)


@shared_task(name="volunteering.care.tasks.care_slot_series_materialize_all_task")
def care_slot_series_materialize_all_task() -> int:
    """Make the coming slots of every repeating slot (hourly); safe to run twice."""
    created = 0
    running = CareSlotSeries.objects.filter(
        ended_at__isnull=True, calendar__status=CareCalendar.Status.OPEN
    )
    for series in running.order_by("pk").iterator():
        try:
            created += care_slot_series_materialize(series=series)
        except Exception:
            logger.exception("Could not make the slots of care series %s", series.pk)
    return created


@shared_task(name="volunteering.care.tasks.care_empty_slots_alert_task")
def care_empty_slots_alert_task() -> int:
    """Tell coordinators about slots still empty 48 hours ahead (hourly; idempotent)."""
    return care_empty_slots_alert()
