"""/api/v1/orders and /api/v1/products"""

from __future__ import annotations

from django.test import Client

from balie.customers.tests.factories import CustomerFactory
from balie.orders.tests.factories import OrderFactory, OrderLineFactory, ProductFactory
from balie.tenancy.models import Shop


def test_orders_are_filtered_by_status_and_customer(api_client: Client, shop: Shop) -> None:
    # given
    anna = CustomerFactory(shop=shop)
    shipped = OrderFactory(shop=shop, customer=anna, status="shipped")
    OrderFactory(shop=shop, customer=anna, status="delivered")
    OrderFactory(shop=shop, status="shipped")

    # when
    body = api_client.get("/api/v1/orders", {"status": "shipped", "customer_id": anna.pk}).json()

    # then
    assert body["count"] == 1
    assert body["items"][0]["id"] == shipped.pk
    assert body["items"][0]["customer_id"] == anna.pk


def test_an_order_comes_with_its_lines_and_address(api_client: Client, shop: Shop) -> None:
    # given
    order = OrderFactory(shop=shop, shipping_city="Zwolle")
    OrderLineFactory(order=order, name="Koekenpan 28 cm", quantity=2, unit_price_cents=3495)

    # when
    body = api_client.get(f"/api/v1/orders/{order.pk}").json()

    # then
    assert body["shipping_city"] == "Zwolle"
    assert body["lines"] == [
        {"name": "Koekenpan 28 cm", "quantity": 2, "unit_price_cents": 3495, "product_id": None}
    ]


def test_products_are_listed_and_filtered_by_category(api_client: Client, shop: Shop) -> None:
    # given
    pan = ProductFactory(shop=shop, name="Koekenpan", category="Pannen")
    ProductFactory(shop=shop, name="Mes", category="Messen")

    # when
    body = api_client.get("/api/v1/products", {"category": "Pannen"}).json()
    one = api_client.get(f"/api/v1/products/{pan.pk}").json()

    # then
    assert [item["name"] for item in body["items"]] == ["Koekenpan"]
    assert one["price_cents"] == pan.price_cents


def test_another_shops_order_and_product_are_404(api_client: Client, other_shop: Shop) -> None:
    # given
    order = OrderFactory(shop=other_shop)
    product = ProductFactory(shop=other_shop)

    # when
    responses = [
        api_client.get(f"/api/v1/orders/{order.pk}"),
        api_client.get(f"/api/v1/products/{product.pk}"),
    ]

    # then
    assert [response.status_code for response in responses] == [404, 404]
