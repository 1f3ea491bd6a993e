from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from balie.tenancy.tests.factories import ShopFactory
from balie.webhooks import signing
from balie.webhooks.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointFactory(DjangoModelFactory[WebhookEndpoint]):
    class Meta:
        model = WebhookEndpoint

    shop = factory.SubFactory(ShopFactory)
    url = "https://93.184.215.14/balie"
    secret = factory.LazyFunction(signing.secret_new)
    events = factory.LazyFunction(
        lambda: ["conversation.created", "conversation.updated", "message.created"]
    )


class WebhookDeliveryFactory(DjangoModelFactory[WebhookDelivery]):
    class Meta:
        model = WebhookDelivery

    endpoint = factory.SubFactory(WebhookEndpointFactory)
    shop = factory.SelfAttribute("endpoint.shop")
    event = "conversation.updated"
    payload = factory.LazyFunction(
        lambda: {
            "type": "conversation.updated",
            "timestamp": "2026-12-01T10:00:00.000Z",
            "data": {},
        }
    )
