"""A shop's customers (shoppers) and how they reach the shop on each channel."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel


class Customer(ShopScopedModel):
    """A shopper of one shop, known by verified email and/or phone.

    The same person at two shops is two customers: shops never see each other's data.
    """

    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=32, blank=True)
    first_name = models.CharField(_("voornaam"), max_length=80, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=120, blank=True)
    locale = models.CharField(_("taal"), max_length=8, default="nl")
    external_id = models.CharField(_("klantnummer in de webshop"), max_length=64, blank=True)
    notes = models.TextField(_("notities"), blank=True)

    class Meta:
        verbose_name = _("klant")
        verbose_name_plural = _("klanten")
        ordering = ("last_name", "first_name", "id")
        constraints = [
            models.UniqueConstraint(
                "shop",
                Lower("email"),
                condition=~models.Q(email=""),
                name="customer_email_unique_per_shop",
            )
        ]
        indexes = [models.Index(fields=["shop", "phone"], name="customer_shop_phone")]

    def __str__(self) -> str:
        return self.full_name or self.email or self.phone or f"#{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class IdentityChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telefoon")
    WHATSAPP = "whatsapp", _("WhatsApp")
    MESSENGER = "messenger", _("Messenger")
    INSTAGRAM = "instagram", _("Instagram")
    CHAT = "chat", _("Chat")
    SHOP = "shop", _("Webshopaccount")


class CustomerIdentity(ShopScopedModel):
    """How a customer is known on one channel (an email address, a WhatsApp number, …)."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    channel = models.CharField(max_length=16, choices=IdentityChannel.choices)
    value = models.CharField(max_length=254)
    verified = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("klantidentiteit")
        verbose_name_plural = _("klantidentiteiten")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "channel", "value"], name="identity_unique_per_shop_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.value}"
