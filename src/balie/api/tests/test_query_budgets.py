"""List endpoints cost a fixed number of queries, however many rows they return."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client

from balie.customers.tests.factories import CustomerFactory
from balie.orders.tests.factories import OrderFactory, OrderLineFactory, ProductFactory
from balie.tenancy.models import Membership, Shop
from balie.tenancy.tests.factories import MembershipFactory, TeamFactory

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
