"""Domain errors of outgoing webhooks."""

from __future__ import annotations

from balie.core.errors import DomainError


class WebhookUrlInvalid(DomainError):
    code = "webhook_url_invalid"
    status = 422


class WebhookHostUnknown(DomainError):
    code = "webhook_host_unknown"
    status = 422


class WebhookEventsInvalid(DomainError):
    code = "webhook_events_invalid"
    status = 422


class WebhookLimitReached(DomainError):
    code = "webhook_limit_reached"
    status = 409


class WebhookInactive(DomainError):
    """Retries and test pings go to an endpoint that is switched on."""

    code = "webhook_inactive"
    status = 409


class WebhookDeliveryNotRetryable(DomainError):
    code = "webhook_delivery_not_retryable"
    status = 409
