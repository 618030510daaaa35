"""Celery tasks for delivery: thin, they take ids or tokens and call the delivery services.
The import goes one way: tasks import services and delivery, never the other way round; the
scan is handed the function that queues a batch's send."""

from celery import shared_task

from notifications import delivery, services


@shared_task(ignore_result=True, expires=55)
def notifications_dispatch_due_task() -> int:
    """Every minute (beat): claim due outbox rows in batches and queue one send per batch.
    Expires after 55 s so scans piled up while workers were down are dropped, not replayed."""
    return delivery.notifications_dispatch_due(send_batch=notifications_send_batch_task.delay)


@shared_task(ignore_result=True, acks_late=True)
def notifications_send_batch_task(claim_token: str) -> dict:
    """Send one claimed batch; safe to run twice (only rows still claimed with the token)."""
    return delivery.notification_batch_send(claim_token=claim_token)


@shared_task(ignore_result=True, expires=3000)
def notifications_schedule_digests_task() -> int:
    """Hourly (beat): write the weekly digests whose local day and hour have come."""
    return services.notification_digests_schedule()
