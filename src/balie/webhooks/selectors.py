"""Reads for webhook endpoints and their delivery log."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from balie.tenancy.models import Shop
from balie.webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoint_list(*, shop: Shop) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.for_shop(shop).order_by("created_at", "id")


def access_endpoint(*, shop: Shop, webhook_id: int) -> WebhookEndpoint:
    """One of the shop's endpoints; 404 for another shop's id."""
    endpoint: WebhookEndpoint | None = endpoint_list(shop=shop).filter(pk=webhook_id).first()
    if endpoint is None:
        raise Http404
    return endpoint


def subscriptions(*, shop_id: int) -> list[tuple[int, list[str]]]:
    """(id, events) of the shop's active endpoints: one query, usually of no rows.

    Callers pick the endpoints of an event from these rather than in SQL, because SQLite has
    no JSON containment lookup; a shop has a handful of endpoints at most.
    """
    return list(
        WebhookEndpoint.objects.filter(shop_id=shop_id, is_active=True).values_list("pk", "events")
    )


def delivery_list(
    *, shop: Shop, endpoint: WebhookEndpoint, status: str = ""
) -> QuerySet[WebhookDelivery]:
    """The endpoint's deliveries, newest first (the delivery log)."""
    deliveries = WebhookDelivery.objects.for_shop(shop).filter(endpoint=endpoint)
    if status:
        deliveries = deliveries.filter(status=status)
    return deliveries.order_by("-created_at", "-id")


def access_delivery(*, shop: Shop, endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    """One delivery of the endpoint; 404 for another endpoint's or shop's id."""
    delivery: WebhookDelivery | None = (
        delivery_list(shop=shop, endpoint=endpoint).filter(pk=delivery_id).first()
    )
    if delivery is None:
        raise Http404
    return delivery
