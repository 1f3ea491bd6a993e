from __future__ import annotations

import datetime as dt

from ninja import Schema


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    category: str
    price_cents: int
    currency: str
    url: str
    is_active: bool


class OrderLineOut(Schema):
    name: str
    quantity: int
    unit_price_cents: int
    product_id: int | None


class OrderOut(Schema):
    id: int
    number: str
    customer_id: int
    status: str
    placed_at: dt.datetime
    total_cents: int
    shipping_cents: int
    currency: str
    payment_method: str
    carrier: str
    tracking_code: str
    shipped_at: dt.datetime | None
    delivered_at: dt.datetime | None


class OrderDetailOut(OrderOut):
    shipping_name: str
    shipping_street: str
    shipping_postcode: str
    shipping_city: str
    shipping_country: str
    lines: list[OrderLineOut]
