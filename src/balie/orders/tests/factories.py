from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from balie.customers.tests.factories import CustomerFactory
from balie.orders.models import Order, OrderLine, Product
from balie.tenancy.tests.factories import ShopFactory


class ProductFactory(DjangoModelFactory[Product]):
    class Meta:
        model = Product

    shop = factory.SubFactory(ShopFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Product {n}")
    category = "Keuken"
    price_cents = 1995


class OrderFactory(DjangoModelFactory[Order]):
    class Meta:
        model = Order

    shop = factory.SubFactory(ShopFactory)
    customer = factory.SubFactory(CustomerFactory, shop=factory.SelfAttribute("..shop"))
    number = factory.Sequence(lambda n: f"NL{100000 + n}")
    placed_at = factory.LazyFunction(lambda: dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC))
    total_cents = 2990
    payment_method = "ideal"
    shipping_name = factory.LazyAttribute(lambda order: order.customer.full_name)
    shipping_street = "Dorpsstraat 1"
    shipping_postcode = "1234 AB"
    shipping_city = "Utrecht"


class OrderLineFactory(DjangoModelFactory[OrderLine]):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    name = "Product"
    quantity = 1
    unit_price_cents = 2990
