"""/api/v1/orders and /api/v1/products (read-only until the orders issue)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from balie.api.auth import principal
from balie.api.pagination import LimitOffset
from balie.orders import selectors
from balie.orders.models import Order, OrderStatus, Product
from balie.orders.schemas import OrderDetailOut, OrderOut, ProductOut

router = Router(tags=["orders"])
products_router = Router(tags=["products"])


@router.get("", response=list[OrderOut], operation_id="order_list")
@paginate(LimitOffset)
def order_list(
    request: HttpRequest, status: OrderStatus | None = None, customer_id: int | None = None
):  # type: ignore[no-untyped-def]
    return selectors.order_list(
        shop=principal(request).shop, status=status or "", customer_id=customer_id
    )


@products_router.get("", response=list[ProductOut], operation_id="product_list")
@paginate(LimitOffset)
def product_list(request: HttpRequest, category: str = ""):  # type: ignore[no-untyped-def]
    return selectors.product_list(shop=principal(request).shop, category=category)


@products_router.get("{product_id}", response=ProductOut, operation_id="product_get")
def product_get(request: HttpRequest, product_id: int) -> Product:
    return selectors.access_product(shop=principal(request).shop, product_id=product_id)


@router.get("{order_id}", response=OrderDetailOut, operation_id="order_get")
def order_get(request: HttpRequest, order_id: int) -> Order:
    return selectors.access_order(shop=principal(request).shop, order_id=order_id)
