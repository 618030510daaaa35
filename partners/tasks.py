"""Thin Celery tasks over partners.webhooks and the registration emails."""

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


@shared_task(soft_time_limit=50, time_limit=60)
def registration_email_send_task(registration_id: int) -> bool:
    """Email the person a partner asked to register (once; safe to run twice)."""
    from partners.services import registration_email_send

    return registration_email_send(registration_id=registration_id)


@shared_task(soft_time_limit=240, time_limit=300)
def registration_emails_send_due_task() -> int:
    """Every few minutes (beat): registration emails whose queued send never ran (a broker or
    worker down at the time) go out now."""
    from partners.services import registration_emails_send_due

    return registration_emails_send_due()
