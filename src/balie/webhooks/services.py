"""Writes for outgoing webhooks: endpoints, and the deliveries events and people ask for.

Deliveries are made by the worker (`delivery.webhook_delivery_attempt`, via
`tasks.webhook_deliver`); these services only create or re-queue them, and enqueue the task
after the commit. A delivery whose task got lost is picked up by `tasks.webhook_deliveries_resume`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from balie.tenancy.models import Shop, User
from balie.webhooks import addresses, errors, events, signing, tasks
from balie.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

MAX_ENDPOINTS_PER_SHOP = 20
DESCRIPTION_MAX = 200


class _Unset(enum.Enum):
    UNSET = enum.auto()


UNSET = _Unset.UNSET


@transaction.atomic
def webhook_endpoint_create(
    *,
    shop: Shop,
    url: str,
    events: Iterable[str],
    description: str = "",
    created_by: User | None = None,
) -> WebhookEndpoint:
    """A new active endpoint with a fresh signing secret (shown to the shop once).

    Refuses (422, field `url`) anything but a public https address (see `addresses`), and
    (field `events`) unknown or no events; 409 past MAX_ENDPOINTS_PER_SHOP.
    """
    url = _checked_url(url)
    subscribed = _checked_events(events)
    if WebhookEndpoint.objects.for_shop(shop).count() >= MAX_ENDPOINTS_PER_SHOP:
        raise errors.WebhookLimitReached(
            _("Een winkel heeft hoogstens %(max)d webhooks.") % {"max": MAX_ENDPOINTS_PER_SHOP}
        )
    return WebhookEndpoint.objects.create(
        shop=shop,
        url=url,
        events=subscribed,
        description=" ".join(description.split())[:DESCRIPTION_MAX],
        secret=signing.secret_new(),
        created_by=created_by,
    )


@transaction.atomic
def webhook_endpoint_update(
    *,
    shop: Shop,
    endpoint: WebhookEndpoint,
    url: str | _Unset = UNSET,
    events: Iterable[str] | _Unset = UNSET,
    description: str | _Unset = UNSET,
    is_active: bool | _Unset = UNSET,
) -> WebhookEndpoint:
    """Change what is passed. Switching an endpoint (back) on clears its failure count and
    the reason it was switched off; deliveries that failed meanwhile stay failed (retry
    them one by one)."""
    endpoint = _locked(shop=shop, endpoint=endpoint)
    if url is not UNSET:
        endpoint.url = _checked_url(url)
    if events is not UNSET:
        endpoint.events = _checked_events(events)
    if description is not UNSET:
        endpoint.description = " ".join(description.split())[:DESCRIPTION_MAX]
    if is_active is not UNSET and is_active != endpoint.is_active:
        endpoint.is_active = is_active
        endpoint.disabled_reason = ""
        if is_active:
            endpoint.consecutive_failures = 0
    endpoint.save()
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, shop: Shop, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint and its delivery log; queued attempts find nothing and stop."""
    _locked(shop=shop, endpoint=endpoint).delete()


@transaction.atomic
def webhook_endpoint_secret_rotate(*, shop: Shop, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """A new signing secret, at once: every later attempt (retries too) is signed with it."""
    endpoint = _locked(shop=shop, endpoint=endpoint)
    endpoint.secret = signing.secret_new()
    endpoint.save(update_fields=["secret", "updated_at"])
    return endpoint


def webhook_event_dispatch(
    *, shop_id: int, event: str, data: dict[str, Any], endpoint_ids: list[int]
) -> list[WebhookDelivery]:
    """One pending delivery of `{"type", "timestamp", "data"}` per endpoint, each queued
    for the worker once committed. The body is fixed here: retries send the same."""
    payload = {"type": event, "timestamp": _timestamp(), "data": data}
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                shop_id=shop_id,
                endpoint_id=endpoint_id,
                event=event,
                payload=payload,
                next_attempt_at=timezone.now(),
            )
            for endpoint_id in endpoint_ids
        )
        _enqueue_on_commit([delivery.pk for delivery in deliveries])
    return deliveries


@transaction.atomic
def webhook_delivery_retry(*, shop: Shop, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a failed delivery again now: one more attempt (with the same `webhook-id`), no
    further automatic retries. 409 unless it failed and its endpoint is on."""
    endpoint = _locked(shop=shop, endpoint=delivery.endpoint)
    if not endpoint.is_active:
        raise errors.WebhookInactive(_("Zet de webhook eerst aan."))
    moved = (
        WebhookDelivery.objects.for_shop(shop)
        .filter(pk=delivery.pk, status=DeliveryStatus.FAILED)
        .update(status=DeliveryStatus.PENDING, next_attempt_at=timezone.now())
    )
    if not moved:
        raise errors.WebhookDeliveryNotRetryable(
            _("Alleen een mislukte aflevering kun je opnieuw versturen.")
        )
    _enqueue_on_commit([delivery.pk])
    fresh: WebhookDelivery = WebhookDelivery.objects.for_shop(shop).get(pk=delivery.pk)
    return fresh


@transaction.atomic
def webhook_test_send(*, shop: Shop, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A `webhook.test` ping to the endpoint: one attempt, in the delivery log like any.

    A failed ping does not count towards switching the endpoint off; a good one resets
    the count. 409 for an endpoint that is off.
    """
    endpoint = _locked(shop=shop, endpoint=endpoint)
    if not endpoint.is_active:
        raise errors.WebhookInactive(_("Zet de webhook eerst aan."))
    data = {"webhook_id": endpoint.pk, "message": "Test van Balie: deze webhook werkt."}
    delivery = WebhookDelivery.objects.create(
        shop=shop,
        endpoint=endpoint,
        event=events.TEST,
        payload={"type": events.TEST, "timestamp": _timestamp(), "data": data},
        next_attempt_at=timezone.now(),
    )
    _enqueue_on_commit([delivery.pk])
    return delivery


def _locked(*, shop: Shop, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    if endpoint.shop_id != shop.pk:
        raise ValueError("endpoint belongs to another shop")
    locked: WebhookEndpoint = (
        WebhookEndpoint.objects.for_shop(shop).select_for_update().get(pk=endpoint.pk)
    )
    return locked


def _checked_url(url: str) -> str:
    url = url.strip()
    addresses.target(url)
    return url


def _checked_events(names: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(names))
    unknown = [name for name in chosen if name not in events.EVENTS]
    if unknown:
        raise errors.WebhookEventsInvalid(
            _("Onbekende gebeurtenis: %(names)s. Kies uit %(known)s.")
            % {"names": ", ".join(unknown), "known": ", ".join(events.EVENTS)},
            field="events",
        )
    if not chosen:
        raise errors.WebhookEventsInvalid(_("Kies minstens één gebeurtenis."), field="events")
    return chosen


def _timestamp() -> str:
    # As the API writes moments: ISO 8601 in UTC with milliseconds and a Z.
    encoded: str = DjangoJSONEncoder().default(timezone.now())
    return encoded


def _enqueue_on_commit(delivery_ids: list[int]) -> None:
    def enqueue() -> None:
        for delivery_id in delivery_ids:
            tasks.webhook_deliver.enqueue(delivery_id=delivery_id)

    transaction.on_commit(enqueue, robust=True)
