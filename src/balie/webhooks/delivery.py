"""One delivery attempt: claim, sign, POST, record; then retry later, or give up.

Attempts follow Standard Webhooks practice: at once, then after 5 s, 5 min, 30 min, 2 h,
5 h and 10 h (seven in all, about 18 hours). Each attempt's status, the start of the answer,
the error and the duration are kept on the delivery. After the last one the delivery has
failed and the endpoint's `consecutive_failures` goes up; a success resets it, and at
DISABLE_AFTER_FAILURES failed deliveries in a row the endpoint is switched off with the
reason.

Safe with any number of workers: an attempt starts only by a conditional UPDATE that moves
`next_attempt_at` past the attempt's longest possible duration, so a second worker (or a
duplicate task) finds nothing to claim; the result is written only if no one else took
the delivery over meanwhile (e.g. a manual retry).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.webhooks import client, events, signing, tasks
from balie.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)

RETRY_DELAYS = (
    dt.timedelta(seconds=5),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
DISABLE_AFTER_FAILURES = 50
# A claimed attempt is someone's for this long: longer than the request can take.
CLAIM = dt.timedelta(seconds=client.TIMEOUT_SECONDS + 50)
RESPONSE_BODY_MAX = 2000
ERROR_MAX = 500


def retry_delay(attempts: int) -> dt.timedelta | None:
    """How long to wait after `attempts` failed attempts; None: that was the last."""
    if 1 <= attempts <= len(RETRY_DELAYS):
        return RETRY_DELAYS[attempts - 1]
    return None


def webhook_delivery_attempt(*, delivery_id: int) -> str:
    """Make the delivery's next attempt if it is due and nobody else is making it.

    Returns what happened: "succeeded", "retrying", "failed" or "skipped" (not due, taken,
    finished or gone). Idempotent: a repeated call for the same attempt is "skipped".
    """
    now = timezone.now()
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now
    ).update(
        attempts=F("attempts") + 1,
        last_attempt_at=now,
        next_attempt_at=now + CLAIM,
        updated_at=now,
    )
    if not claimed:
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        answer = client.Answer(
            status=None, body="", error=_("De webhook staat uit."), duration_ms=0
        )
        return _record(delivery, answer, final=True)
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = signing.headers(
        secret=endpoint.secret,
        message_id=str(delivery.event_id),
        timestamp=int(time.time()),
        body=body,
    )
    answer = client.post(endpoint.url, body=body, headers=headers)
    last = 1 if delivery.event == events.TEST else MAX_ATTEMPTS
    return _record(delivery, answer, final=delivery.attempts >= last)


def _record(delivery: WebhookDelivery, answer: client.Answer, *, final: bool) -> str:
    finished = timezone.now()
    delay = None if final else retry_delay(delivery.attempts)
    if answer.succeeded:
        outcome, status, next_attempt_at = "succeeded", DeliveryStatus.SUCCEEDED, None
    elif delay is None:
        outcome, status, next_attempt_at = "failed", DeliveryStatus.FAILED, None
    else:
        outcome, status, next_attempt_at = "retrying", DeliveryStatus.PENDING, finished + delay
    with transaction.atomic():
        written = WebhookDelivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.PENDING, attempts=delivery.attempts
        ).update(
            status=status,
            next_attempt_at=next_attempt_at,
            response_status=answer.status,
            response_body=answer.body[:RESPONSE_BODY_MAX],
            error=answer.error[:ERROR_MAX],
            duration_ms=answer.duration_ms,
            updated_at=finished,
        )
        if not written:
            return "skipped"
        if outcome == "succeeded":
            WebhookEndpoint.objects.filter(
                pk=delivery.endpoint_id, consecutive_failures__gt=0
            ).update(consecutive_failures=0)
        elif outcome == "failed" and _counts(delivery):
            _failure_counted(delivery.endpoint_id)
        elif next_attempt_at is not None:
            retry = tasks.webhook_deliver.using(run_after=next_attempt_at)
            transaction.on_commit(lambda: retry.enqueue(delivery_id=delivery.pk), robust=True)
    logger.info(
        "webhook_attempt",
        extra={
            "delivery_id": delivery.pk,
            "endpoint_id": delivery.endpoint_id,
            "attempt": delivery.attempts,
            "outcome": outcome,
            "status": answer.status,
            "duration_ms": answer.duration_ms,
        },
    )
    return outcome


def _counts(delivery: WebhookDelivery) -> bool:
    """A delivery counts towards switching off once: when its own retries ran out (not a
    test ping, not a later manual retry, not a delivery to an endpoint already off)."""
    return (
        delivery.event != events.TEST
        and delivery.attempts == MAX_ATTEMPTS
        and delivery.endpoint.is_active
    )


def _failure_counted(endpoint_id: int) -> None:
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
    disabled = WebhookEndpoint.objects.filter(
        pk=endpoint_id, is_active=True, consecutive_failures__gte=DISABLE_AFTER_FAILURES
    ).update(
        is_active=False,
        disabled_reason=_(
            "Automatisch uitgezet: %(count)d afleveringen op rij mislukt. Herstel de "
            "ontvanger en zet de webhook weer aan."
        )
        % {"count": DISABLE_AFTER_FAILURES},
        updated_at=timezone.now(),
    )
    if disabled:
        logger.warning("webhook_endpoint_disabled", extra={"endpoint_id": endpoint_id})
