"""Thin Celery tasks over partners.webhooks."""

from celery import shared_task

from partners import webhooks


@shared_task(soft_time_limit=240, time_limit=300)
def idempotency_records_expire_task() -> int:
    """Every hour (beat): forget Idempotency-Key records past their window."""
    from partners.upkeep import idempotency_records_expire

    return idempotency_records_expire()


@shared_task(time_limit=300)
def webhook_batch_send_task(claim_token: str) -> dict:
    """Send one claimed batch of webhook deliveries."""
    return webhooks.batch_send(claim_token=claim_token)


@shared_task(soft_time_limit=90, time_limit=120)
def webhook_deliveries_dispatch_task() -> int:
    """Every minute (beat): claim due deliveries and queue their batches."""
    return webhooks.deliveries_dispatch(send_batch=webhook_batch_send_task.delay)
