"""List endpoints cost a fixed number of queries, however many rows they return."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from balie.customers.tests.factories import CustomerFactory
from balie.inbox import services as inbox_services
from balie.inbox.models import Attachment, Conversation
from balie.inbox.tests.factories import ConversationFactory, MessageFactory, TagFactory
from balie.orders.tests.factories import OrderFactory, OrderLineFactory, ProductFactory
from balie.tenancy.models import Membership, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory
from balie.webhooks.models import WebhookEndpoint
from balie.webhooks.tests.factories import WebhookDeliveryFactory, WebhookEndpointFactory

MaxQueries = Callable[[int], AbstractContextManager[Any]]
ROWS = 25

# Key lookup (with its shop) and, at most once a minute, the key's last-used time.
API_KEY_AUTH = 2
# Session, user, membership with shop, and the two-factor device check.
SESSION_AUTH = 6


def _many_of_everything(shop: Shop) -> None:
    # Without a password: hashing 25 with argon2 would be most of the run time.
    agents = MembershipFactory.create_batch(ROWS, shop=shop, user__password=None)
    for index in range(ROWS):
        team = TeamFactory(shop=shop)
        team.members.set(agents[index : index + 3])
    customers = CustomerFactory.create_batch(ROWS, shop=shop)
    products = ProductFactory.create_batch(ROWS, shop=shop)
    for customer, product in zip(customers, products, strict=True):
        order = OrderFactory(shop=shop, customer=customer)
        OrderLineFactory(order=order, product=product)


@pytest.mark.parametrize(
    ("url", "own_queries"),
    [
        ("/api/v1/customers", 2),
        ("/api/v1/customers?q=a&email=klant1@example.nl", 2),
        ("/api/v1/orders?status=pending", 2),
        ("/api/v1/products", 2),
        ("/api/v1/agents", 2),
        ("/api/v1/teams", 4),  # count, teams, their members, the members' users
        ("/api/v1/shop", 3),  # hours, closing days, contact options
    ],
)
def test_list_endpoints_have_a_query_budget(
    api_client: Client,
    agent: Membership,
    shop: Shop,
    django_assert_max_num_queries: MaxQueries,
    url: str,
    own_queries: int,
) -> None:
    # given
    _many_of_everything(shop)
    session = Client()
    session.force_login(agent.user)

    # when / then
    with django_assert_max_num_queries(API_KEY_AUTH + own_queries):
        by_key = api_client.get(url)
    with django_assert_max_num_queries(SESSION_AUTH + own_queries):
        by_session = session.get(url)
    assert by_key.status_code == by_session.status_code == 200


def test_an_order_with_its_lines_is_one_query_more(
    api_client: Client, shop: Shop, django_assert_max_num_queries: MaxQueries
) -> None:
    # given
    order = OrderFactory(shop=shop)
    OrderLineFactory.create_batch(10, order=order)

    # when
    with django_assert_max_num_queries(API_KEY_AUTH + 2):
        response = api_client.get(f"/api/v1/orders/{order.pk}")

    # then
    assert len(response.json()["lines"]) == 10


INBOX_ROWS = 50


def _a_busy_inbox(shop: Shop, agent: Membership) -> tuple[Conversation, WebhookEndpoint]:
    """A page of 50 conversations with tags, assignees and teams; one with 50 messages
    with attachments and events; 50 tags, macros and webhook deliveries."""
    team = TeamFactory(shop=shop)
    tags = [TagFactory(shop=shop, name=name) for name in ("a", "b", "c")]
    conversations = ConversationFactory.create_batch(
        INBOX_ROWS, shop=shop, assignee=agent, team=team
    )
    for conversation in conversations:
        conversation.tags.add(*tags)
    busy = conversations[0]
    for message in MessageFactory.create_batch(INBOX_ROWS, conversation=busy):
        Attachment.objects.create(
            shop=shop, message=message, filename="a.pdf", content_type="application/pdf"
        )
        inbox_services.conversation_set_priority(
            shop=shop, conversation=busy, priority="high" if message.pk % 2 else "low", actor=agent
        )
    TagFactory.create_batch(INBOX_ROWS, shop=shop)
    for index in range(INBOX_ROWS):
        inbox_services.macro_create(shop=shop, name=f"Macro {index}", add_tags=["a"], set_team=team)
    endpoint = WebhookEndpointFactory(shop=shop)
    WebhookDeliveryFactory.create_batch(INBOX_ROWS, endpoint=endpoint)
    return busy, endpoint


@pytest.mark.parametrize(
    ("url", "own_queries"),
    [
        ("/api/v1/conversations", 3),  # count, page (customer, assignee, team), tags
        ("/api/v1/conversations?status=open,pending&tag=a&tag=B&ordering=sla_due_at", 3),
        ("/api/v1/conversations/{conversation}/messages", 4),  # conversation, count, page, files
        ("/api/v1/conversations/{conversation}/events", 3),  # conversation, count, page
        ("/api/v1/conversations/{conversation}", 2),  # conversation, tags
        ("/api/v1/tags", 2),
        ("/api/v1/macros", 2),
        ("/api/v1/webhooks", 2),
        ("/api/v1/webhooks/{webhook}/deliveries", 3),  # endpoint, count, page
    ],
)
def test_inbox_lists_have_a_query_budget(
    api_client: Client,
    agent: Membership,
    shop: Shop,
    django_assert_max_num_queries: MaxQueries,
    url: str,
    own_queries: int,
) -> None:
    # given
    conversation, endpoint = _a_busy_inbox(shop, agent)
    url = url.format(conversation=conversation.pk, webhook=endpoint.pk)
    session = Client()
    session.force_login(MembershipFactory(shop=shop, role="owner", user__password=None).user)

    # when / then
    with django_assert_max_num_queries(API_KEY_AUTH + own_queries):
        by_key = api_client.get(url)
    with django_assert_max_num_queries(SESSION_AUTH + own_queries):
        by_session = session.get(url)
    assert by_key.status_code == by_session.status_code == 200
    assert by_key.json().get("count", INBOX_ROWS) >= 1
