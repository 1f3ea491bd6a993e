"""Background work of outgoing webhooks: attempts on the "webhooks" queue, and the
scheduled sweeps that resume stranded deliveries and prune the delivery log."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from balie.core.scheduler import periodic
from balie.webhooks import delivery
from balie.webhooks.models import DeliveryStatus, WebhookDelivery

# A pending delivery this far past its moment lost its task (a worker died mid-attempt).
STRANDED_AFTER = dt.timedelta(minutes=2)
RESUME_BATCH = 500
LOG_RETENTION = dt.timedelta(days=30)


@task(queue_name="webhooks")
def webhook_deliver(*, delivery_id: int) -> str:
    """One attempt of one delivery (see `delivery.webhook_delivery_attempt`)."""
    return delivery.webhook_delivery_attempt(delivery_id=delivery_id)


@periodic(every=dt.timedelta(minutes=1))
@task(queue_name="scheduled")
def webhook_deliveries_resume() -> int:
    """Queue an attempt for each pending delivery that is overdue; the claim in
    `webhook_delivery_attempt` makes a duplicate harmless. Returns how many."""
    ids = list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING,
            next_attempt_at__lte=timezone.now() - STRANDED_AFTER,
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:RESUME_BATCH]
    )
    for delivery_id in ids:
        webhook_deliver.enqueue(delivery_id=delivery_id)
    return len(ids)


@periodic(every=dt.timedelta(hours=24))
@task(queue_name="scheduled")
def webhook_deliveries_prune() -> int:
    """Delete finished deliveries older than LOG_RETENTION; returns how many."""
    deleted, _by_model = (
        WebhookDelivery.objects.exclude(status=DeliveryStatus.PENDING)
        .filter(created_at__lt=timezone.now() - LOG_RETENTION)
        .delete()
    )
    return deleted
