"""/api/v1/webhooks: outgoing webhooks and their delivery log, for admins and API keys."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import AuthorizationError, ValidationError

from balie.api.auth import ApiPrincipal, principal
from balie.api.pagination import paginated
from balie.tenancy.models import Role
from balie.webhooks import selectors, services
from balie.webhooks.models import WebhookDelivery, WebhookEndpoint
from balie.webhooks.schemas import (
    DeliveryOut,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
    WebhookWithSecretOut,
)

router = Router(tags=["webhooks"])


def _admin(request: HttpRequest) -> ApiPrincipal:
    who = principal(request)
    if not who.can(Role.ADMIN):
        raise AuthorizationError(message=_("Alleen beheerders beheren webhooks."))
    return who


@router.get("", response=list[WebhookOut], operation_id="webhook_list")
@paginated
def webhook_list(request: HttpRequest) -> QuerySet[WebhookEndpoint]:
    """The shop's webhook endpoints, oldest first (without their secrets)."""
    return selectors.endpoint_list(shop=_admin(request).shop)


@router.post("", response={201: WebhookWithSecretOut}, operation_id="webhook_create")
def webhook_create(request: HttpRequest, payload: WebhookIn) -> Status[WebhookEndpoint]:
    """A new endpoint. The answer holds its signing secret: the only time it is shown
    (rotate it when lost). 422 for an address that is not public https."""
    who = _admin(request)
    endpoint = services.webhook_endpoint_create(
        shop=who.shop,
        url=payload.url,
        events=payload.events,
        description=payload.description,
        created_by=who.membership.user if who.membership else None,
    )
    return Status(201, endpoint)


@router.get("{webhook_id}", response=WebhookOut, operation_id="webhook_get")
def webhook_get(request: HttpRequest, webhook_id: int) -> WebhookEndpoint:
    return selectors.access_endpoint(shop=_admin(request).shop, webhook_id=webhook_id)


@router.patch("{webhook_id}", response=WebhookOut, operation_id="webhook_update")
def webhook_update(request: HttpRequest, webhook_id: int, payload: WebhookPatch) -> WebhookEndpoint:
    who = _admin(request)
    endpoint = selectors.access_endpoint(shop=who.shop, webhook_id=webhook_id)
    changes: dict[str, Any] = payload.model_dump(exclude_unset=True)
    for field, value in changes.items():
        if value is None:
            raise ValidationError(
                [{"loc": ("body", "payload", field), "msg": "May not be null", "type": "null"}]
            )
    return services.webhook_endpoint_update(shop=who.shop, endpoint=endpoint, **changes)


@router.delete("{webhook_id}", response={204: None}, operation_id="webhook_delete")
def webhook_delete(request: HttpRequest, webhook_id: int) -> Status[None]:
    """Delete the endpoint and its delivery log."""
    who = _admin(request)
    endpoint = selectors.access_endpoint(shop=who.shop, webhook_id=webhook_id)
    services.webhook_endpoint_delete(shop=who.shop, endpoint=endpoint)
    return Status(204, None)


@router.post(
    "{webhook_id}/rotate-secret",
    response=WebhookWithSecretOut,
    operation_id="webhook_secret_rotate",
)
def webhook_secret_rotate(request: HttpRequest, webhook_id: int) -> WebhookEndpoint:
    """A new signing secret, valid at once (the old one stops working); shown this once."""
    who = _admin(request)
    endpoint = selectors.access_endpoint(shop=who.shop, webhook_id=webhook_id)
    return services.webhook_endpoint_secret_rotate(shop=who.shop, endpoint=endpoint)


@router.post("{webhook_id}/test", response={202: DeliveryOut}, operation_id="webhook_test")
def webhook_test(request: HttpRequest, webhook_id: int) -> Status[WebhookDelivery]:
    """Send a `webhook.test` ping now; follow it in the delivery log."""
    who = _admin(request)
    endpoint = selectors.access_endpoint(shop=who.shop, webhook_id=webhook_id)
    return Status(202, services.webhook_test_send(shop=who.shop, endpoint=endpoint))


@router.get(
    "{webhook_id}/deliveries",
    response=list[DeliveryOut],
    operation_id="webhook_delivery_list",
)
@paginated
def webhook_delivery_list(
    request: HttpRequest,
    webhook_id: int,
    status: Annotated[
        Literal["pending", "succeeded", "failed"] | None, Query(None, description="Only these")
    ] = None,
) -> QuerySet[WebhookDelivery]:
    """The delivery log: every event sent to the endpoint, newest first, with the last
    attempt's answer."""
    who = _admin(request)
    endpoint = selectors.access_endpoint(shop=who.shop, webhook_id=webhook_id)
    return selectors.delivery_list(shop=who.shop, endpoint=endpoint, status=status or "")


@router.get(
    "{webhook_id}/deliveries/{delivery_id}",
    response=DeliveryOut,
    operation_id="webhook_delivery_get",
)
def webhook_delivery_get(
    request: HttpRequest, webhook_id: int, delivery_id: int
) -> WebhookDelivery:
    who = _admin(request)
    endpoint = selectors.access_endpoint(shop=who.shop, webhook_id=webhook_id)
    return selectors.access_delivery(shop=who.shop, endpoint=endpoint, delivery_id=delivery_id)


@router.post(
    "{webhook_id}/deliveries/{delivery_id}/retry",
    response={202: DeliveryOut},
    operation_id="webhook_delivery_retry",
)
def webhook_delivery_retry(
    request: HttpRequest, webhook_id: int, delivery_id: int
) -> Status[WebhookDelivery]:
    """Send a failed delivery again now (one attempt, the same webhook-id). 409 unless it
    failed and the endpoint is on."""
    who = _admin(request)
    endpoint = selectors.access_endpoint(shop=who.shop, webhook_id=webhook_id)
    delivery = selectors.access_delivery(shop=who.shop, endpoint=endpoint, delivery_id=delivery_id)
    return Status(202, services.webhook_delivery_retry(shop=who.shop, delivery=delivery))
