"""/api/v1/orders and /api/v1/products (read-only until the orders issue)."""

from __future__ import annotations

from typing import Annotated

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router

from balie.api.auth import principal
from balie.api.fields import SingleLineText
from balie.api.pagination import paginated
from balie.orders import selectors
from balie.orders.models import Order, OrderStatus, Product
from balie.orders.schemas import OrderDetailOut, OrderOut, ProductOut

router = Router(tags=["orders"])
products_router = Router(tags=["products"])


@router.get("", response=list[OrderOut], operation_id="order_list")
@paginated
def order_list(
    request: HttpRequest, status: OrderStatus | None = None, customer_id: int | None = None
) -> QuerySet[Order]:
    """The shop's orders, newest first, by status and/or customer."""
    return selectors.order_list(
        shop=principal(request).shop, status=status or "", customer_id=customer_id
    )


@router.get("{order_id}", response=OrderDetailOut, operation_id="order_get")
def order_get(request: HttpRequest, order_id: int) -> Order:
    """One order with its lines and shipping address."""
    return selectors.access_order(shop=principal(request).shop, order_id=order_id)


@products_router.get("", response=list[ProductOut], operation_id="product_list")
@paginated
def product_list(
    request: HttpRequest, category: Annotated[SingleLineText, Query("", max_length=120)] = ""
) -> QuerySet[Product]:
    """The shop's products, by name, optionally of one category."""
    return selectors.product_list(shop=principal(request).shop, category=category)


@products_router.get("{product_id}", response=ProductOut, operation_id="product_get")
def product_get(request: HttpRequest, product_id: int) -> Product:
    """One product of the shop."""
    return selectors.access_product(shop=principal(request).shop, product_id=product_id)
