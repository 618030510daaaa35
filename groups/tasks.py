"""Celery tasks of the groups app: thin, they call the function that owns the work."""

from celery import shared_task

from groups import notifications


@shared_task(ignore_result=True, expires=3000)
def join_request_summaries_schedule_task() -> int:
    """Daily (beat): write the summaries of requests to join for organizers who chose them."""
    return notifications.join_request_summaries_schedule()
