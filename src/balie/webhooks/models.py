"""Outgoing webhooks: the shop's endpoints and every delivery to them (the delivery log).

An event (`conversation.created`, `message.created`, …) becomes one `WebhookDelivery` per
endpoint that subscribed to it, with the payload as it was at that moment. Deliveries are
signed (HMAC-SHA256, the Standard Webhooks scheme) and retried with backoff by the worker;
each attempt's answer is kept for the shop to read.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel


class WebhookEndpoint(ShopScopedModel):
    url = models.URLField(_("adres (URL)"), max_length=2000)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    # "whsec_" + base64 of 32 random bytes. Kept readable: every delivery is signed with it.
    secret = models.CharField(max_length=64)
    events = models.JSONField(_("gebeurtenissen"), default=list)
    is_active = models.BooleanField(_("actief"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Failed deliveries in a row (after all retries); reset by a success.
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_reason = models.CharField(_("uitgeschakeld omdat"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Wordt verstuurd")
    SUCCEEDED = "succeeded", _("Afgeleverd")
    FAILED = "failed", _("Mislukt")


class WebhookDelivery(ShopScopedModel):
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The `webhook-id` header: the same on every retry, so receivers can drop repeats.
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event = models.CharField(_("gebeurtenis"), max_length=64)
    payload = models.JSONField()
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.CharField(max_length=2000, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook-aflevering")
        verbose_name_plural = _("webhook-afleveringen")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log"),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="webhook_delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint_id} ({self.status})"
