"""Django admin for installation staff: products and orders as synced from the webshops."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from balie.orders.models import Order, OrderLine, Product


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "sku", "category", "price", "is_active", "shop")
    list_filter = ("shop", "is_active", "category")
    search_fields = ("name", "sku")
    list_select_related = ("shop",)

    @admin.display(description=_("prijs"), ordering="price_cents")
    def price(self, product: Product) -> str:
        return _euros(product.price_cents, product.currency)


class OrderLineInline(admin.TabularInline):  # type: ignore[type-arg]
    model = OrderLine
    extra = 0
    fields = ("name", "product", "quantity", "unit_price_cents")
    raw_id_fields = ("product",)


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = (
        "number",
        "customer",
        "status",
        "total",
        "payment_method",
        "carrier",
        "placed_at",
        "shop",
    )
    list_filter = ("status", "payment_method", "carrier", "shipping_country", "shop")
    search_fields = ("number", "tracking_code", "customer__email", "customer__last_name")
    list_select_related = ("customer", "shop")
    date_hierarchy = "placed_at"
    raw_id_fields = ("customer",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (OrderLineInline,)
    show_full_result_count = False

    @admin.display(description=_("totaal"), ordering="total_cents")
    def total(self, order: Order) -> str:
        return _euros(order.total_cents, order.currency)


def _euros(cents: int, currency: str) -> str:
    symbol = "€" if currency == "EUR" else currency
    return f"{symbol} {cents // 100},{cents % 100:02d}"
