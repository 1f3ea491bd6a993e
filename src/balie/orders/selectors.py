"""Reads for products and orders."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from balie.orders.models import Order, Product
from balie.tenancy.models import Shop


def product_list(*, shop: Shop, category: str = "") -> QuerySet[Product]:
    products = Product.objects.for_shop(shop)
    return products.filter(category=category) if category else products


def access_product(*, shop: Shop, product_id: int) -> Product:
    product: Product | None = Product.objects.for_shop(shop).filter(pk=product_id).first()
    if product is None:
        raise Http404
    return product


def order_list(*, shop: Shop, status: str = "", customer_id: int | None = None) -> QuerySet[Order]:
    orders = Order.objects.for_shop(shop)
    if status:
        orders = orders.filter(status=status)
    if customer_id is not None:
        orders = orders.filter(customer_id=customer_id)
    return orders


def access_order(*, shop: Shop, order_id: int) -> Order:
    order: Order | None = (
        Order.objects.for_shop(shop).prefetch_related("lines").filter(pk=order_id).first()
    )
    if order is None:
        raise Http404
    return order
