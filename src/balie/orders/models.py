"""The shop's catalogue and orders as Balie knows them (synced from the webshop).

This is the part the foundation needs (demo data, customer history); returns, invoices,
payments and connectors come with the orders issue.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel


class Product(ShopScopedModel):
    sku = models.CharField(_("artikelnummer"), max_length=64)
    name = models.CharField(_("naam"), max_length=200)
    category = models.CharField(_("categorie"), max_length=120, blank=True)
    price_cents = models.PositiveIntegerField(_("prijs (centen)"))
    currency = models.CharField(max_length=3, default="EUR")
    url = models.URLField(_("productpagina"), blank=True)
    is_active = models.BooleanField(_("in assortiment"), default=True)

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("producten")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku"], name="product_sku_unique_per_shop")
        ]

    def __str__(self) -> str:
        return self.name


class OrderStatus(models.TextChoices):
    PENDING = "pending", _("Wacht op betaling")
    PAID = "paid", _("Betaald")
    PROCESSING = "processing", _("Wordt verwerkt")
    SHIPPED = "shipped", _("Verzonden")
    DELIVERED = "delivered", _("Bezorgd")
    CANCELLED = "cancelled", _("Geannuleerd")
    RETURNED = "returned", _("Geretourneerd")


class PaymentMethod(models.TextChoices):
    IDEAL = "ideal", _("iDEAL")
    CARD = "card", _("Creditcard")
    PAYPAL = "paypal", _("PayPal")
    AFTERPAY = "pay_after_delivery", _("Achteraf betalen")
    BANCONTACT = "bancontact", _("Bancontact")


class Order(ShopScopedModel):
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.PROTECT, related_name="orders"
    )
    number = models.CharField(_("bestelnummer"), max_length=32)
    status = models.CharField(
        _("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.PENDING
    )
    placed_at = models.DateTimeField(_("besteld op"))
    total_cents = models.PositiveIntegerField(_("totaal (centen)"))
    shipping_cents = models.PositiveIntegerField(_("verzendkosten (centen)"), default=0)
    currency = models.CharField(max_length=3, default="EUR")
    payment_method = models.CharField(
        _("betaalmethode"), max_length=24, choices=PaymentMethod.choices
    )
    shipping_name = models.CharField(_("naam ontvanger"), max_length=200)
    shipping_street = models.CharField(_("straat en huisnummer"), max_length=200)
    shipping_postcode = models.CharField(_("postcode"), max_length=16)
    shipping_city = models.CharField(_("plaats"), max_length=120)
    shipping_country = models.CharField(_("land"), max_length=2, default="NL")
    carrier = models.CharField(_("vervoerder"), max_length=40, blank=True)
    tracking_code = models.CharField(_("track & trace"), max_length=64, blank=True)
    shipped_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("bezorgd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("bestelling")
        verbose_name_plural = _("bestellingen")
        ordering = ("-placed_at",)
        constraints = [
            models.UniqueConstraint(fields=["shop", "number"], name="order_number_unique_per_shop")
        ]
        indexes = [models.Index(fields=["shop", "status"], name="order_shop_status")]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("omschrijving"), max_length=200)
    quantity = models.PositiveIntegerField(_("aantal"))
    unit_price_cents = models.PositiveIntegerField(_("stukprijs (centen)"))

    class Meta:
        verbose_name = _("orderregel")
        verbose_name_plural = _("orderregels")
        ordering = ("id",)

    def __str__(self) -> str:
        return f"{self.quantity} × {self.name}"

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents
