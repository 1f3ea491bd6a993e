"""What the inbox sends as webhooks: after the commit, to subscribed endpoints only, one
event per change, and a body whose `data` is the API's JSON of the same object."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from balie.inbox import services as inbox_services
from balie.inbox.tests.factories import ConversationFactory, inbound_email
from balie.tenancy.models import Membership, Shop
from balie.webhooks import events as webhook_events
from balie.webhooks.models import WebhookDelivery
from balie.webhooks.tests.conftest import CaptureCallbacks
from balie.webhooks.tests.factories import WebhookEndpointFactory
from balie.webhooks.tests.receiver import Receiver

pytestmark = pytest.mark.django_db

MaxQueries = Callable[[int], AbstractContextManager[Any]]


def _events() -> list[str]:
    return list(WebhookDelivery.objects.order_by("id").values_list("event", flat=True))


def test_a_new_email_sends_conversation_created_and_message_created_as_the_api_shows_them(
    shop: Shop,
    receiver: Receiver,
    deliver: Callable[[], int],
    api_client: Client,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    endpoint = WebhookEndpointFactory(shop=shop, url=receiver.url)
    receiver.secret = endpoint.secret

    # when
    with django_capture_on_commit_callbacks(execute=True):
        result = inbox_services.message_receive(shop=shop, inbound=inbound_email())
    deliver()

    # then
    assert _events() == ["conversation.created", "message.created"]
    bodies = [json.loads(request.body) for request in receiver.received]
    assert all(request.verified for request in receiver.received)
    conversation_id = result.conversation.pk
    assert bodies[0]["type"] == "conversation.created"
    assert bodies[0]["data"] == api_client.get(f"/api/v1/conversations/{conversation_id}").json()
    messages = api_client.get(f"/api/v1/conversations/{conversation_id}/messages").json()
    assert bodies[1]["type"] == "message.created"
    assert bodies[1]["data"] == messages["items"][0]


def test_a_reply_of_the_customer_updates_the_conversation_too(
    shop: Shop, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    # given
    WebhookEndpointFactory(shop=shop)
    with django_capture_on_commit_callbacks(execute=True):
        first = inbox_services.message_receive(shop=shop, inbound=inbound_email())
    WebhookDelivery.objects.all().delete()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        inbox_services.message_receive(
            shop=shop,
            inbound=inbound_email(in_reply_to=first.message.external_id, subject="Re: hoi"),
        )

    # then
    assert _events() == ["conversation.updated", "message.created"]


def test_changing_three_fields_in_one_request_is_one_conversation_updated(
    shop: Shop,
    agent: Membership,
    agent_client: Client,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    WebhookEndpointFactory(shop=shop)
    conversation = ConversationFactory(shop=shop)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.patch(
            f"/api/v1/conversations/{conversation.pk}",
            {"status": "pending", "priority": "high", "add_tags": ["retour"]},
            content_type="application/json",
        )

    # then
    assert response.status_code == 200
    (sent,) = WebhookDelivery.objects.all()
    assert sent.event == "conversation.updated"
    assert sent.payload["data"] == response.json()


def test_only_subscribed_active_endpoints_of_the_shop_get_the_event(
    shop: Shop,
    other_shop: Shop,
    agent: Membership,
    django_capture_on_commit_callbacks: CaptureCallbacks,
) -> None:
    # given
    subscribed = WebhookEndpointFactory(shop=shop, events=["conversation.updated"])
    WebhookEndpointFactory(shop=shop, events=["message.created"])
    WebhookEndpointFactory(shop=shop, is_active=False)
    WebhookEndpointFactory(shop=other_shop)
    conversation = ConversationFactory(shop=shop)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        inbox_services.conversation_set_priority(
            shop=shop, conversation=conversation, priority="urgent", actor=agent
        )

    # then
    (sent,) = WebhookDelivery.objects.all()
    assert (sent.endpoint_id, sent.shop_id) == (subscribed.pk, shop.pk)


def test_a_note_sends_message_created_only(
    shop: Shop, agent: Membership, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    # given
    WebhookEndpointFactory(shop=shop)
    conversation = ConversationFactory(shop=shop)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        note = inbox_services.note_add(
            shop=shop, conversation=conversation, author=agent, text="Klant belt morgen terug."
        )

    # then
    (sent,) = WebhookDelivery.objects.all()
    assert sent.event == "message.created"
    assert (sent.payload["data"]["id"], sent.payload["data"]["direction"]) == (note.pk, "note")


def test_a_change_that_rolls_back_sends_nothing(
    shop: Shop, agent: Membership, django_capture_on_commit_callbacks: CaptureCallbacks
) -> None:
    # given
    WebhookEndpointFactory(shop=shop)
    conversation = ConversationFactory(shop=shop)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                inbox_services.conversation_set_priority(
                    shop=shop, conversation=conversation, priority="urgent", actor=agent
                )
                raise RuntimeError("later step failed")
        except RuntimeError:
            pass

    # then
    assert not WebhookDelivery.objects.exists()


def test_imported_history_costs_no_query_after_commit(
    shop: Shop,
    django_capture_on_commit_callbacks: CaptureCallbacks,
    django_assert_num_queries: MaxQueries,
) -> None:
    # given: an imported (history) email that starts a conversation; history publishes no
    # webhook or live update, so not even the subscription check runs
    WebhookEndpointFactory(shop=shop, events=["conversation.created", "message.created"])
    with django_capture_on_commit_callbacks() as callbacks:
        inbox_services.message_receive(shop=shop, inbound=inbound_email(), history=True)

    # when / then
    with django_assert_num_queries(0):
        for callback in callbacks:
            callback()


def test_without_a_subscribed_endpoint_an_event_costs_one_query(
    shop: Shop,
    agent: Membership,
    django_capture_on_commit_callbacks: CaptureCallbacks,
    django_assert_num_queries: MaxQueries,
) -> None:
    # given
    WebhookEndpointFactory(shop=shop, events=["message.created"])
    conversation = ConversationFactory(shop=shop)
    with django_capture_on_commit_callbacks() as callbacks:
        inbox_services.conversation_set_priority(
            shop=shop, conversation=conversation, priority="urgent", actor=agent
        )

    # when / then: the live update asks nothing of the database; the webhook check one query
    with django_assert_num_queries(1):
        for callback in callbacks:
            callback()
    assert not WebhookDelivery.objects.exists()


def test_a_subscribed_event_costs_a_fixed_number_of_queries(
    shop: Shop,
    agent: Membership,
    django_capture_on_commit_callbacks: CaptureCallbacks,
    django_assert_max_num_queries: MaxQueries,
) -> None:
    # given
    WebhookEndpointFactory.create_batch(3, shop=shop)
    conversation = ConversationFactory(shop=shop)
    conversation.tags.add(*[inbox_services.tag_create(shop=shop, name=f"t{n}") for n in range(5)])
    with django_capture_on_commit_callbacks() as callbacks:
        inbox_services.conversation_set_priority(
            shop=shop, conversation=conversation, priority="urgent", actor=agent
        )

    # when / then: endpoints, conversation, tags, the deliveries in one insert
    with django_assert_max_num_queries(6):
        for callback in callbacks:
            callback()
    assert WebhookDelivery.objects.count() == 3


def test_an_event_that_cannot_be_built_does_not_stop_the_others(
    shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    # given
    WebhookEndpointFactory(shop=shop)

    def broken() -> dict[str, Any]:
        raise RuntimeError("cannot build")

    batch = webhook_events._Batch(shop_id=shop.pk)
    batch.events.append(webhook_events._Event("conversation.updated", "conversation:1", broken))
    batch.events.append(webhook_events._Event("message.created", "message:2", lambda: {"id": 2}))

    # when
    batch()

    # then
    assert _events() == ["message.created"]
    assert "webhook_emit_failed" in caplog.text
