"""Messages in a conversation (from the customer, to the customer, internal notes) and the
files that came with them."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel
from balie.inbox.models.conversations import Conversation
from balie.inbox.text import split_reply
from balie.tenancy.models import ContactChannel


def _stored_name(kind: str, shop_id: int) -> str:
    # Random names: a sender's filename never becomes a path, and names cannot be guessed.
    return f"inbox/{kind}/{shop_id}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(18)}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    return _stored_name("attachments", instance.shop_id)


def raw_upload_to(instance: Message, filename: str) -> str:
    return _stored_name("raw", instance.shop_id)


class Direction(models.TextChoices):
    INBOUND = "in", _("Van klant")
    OUTBOUND = "out", _("Naar klant")
    NOTE = "note", _("Interne notitie")


class DeliveryStatus(models.TextChoices):
    """Where an outbound message is on its way out; blank for inbound messages and notes."""

    NONE = "", _("—")
    QUEUED = "queued", _("Wordt verstuurd")
    SENT = "sent", _("Verstuurd")
    FAILED = "failed", _("Niet verstuurd")


class Message(ShopScopedModel):
    """One message in a conversation: from the customer, to the customer, or an internal note.

    `text` and `html` are what was received or sent; `html` is sanitised before it is stored
    (see `inbox.sanitize`). Display folds quoted history with `text_parts` and keeps the
    original.
    """

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(_("richting"), max_length=4, choices=Direction.choices)
    # Blank for internal notes, which travel on no channel.
    channel = models.CharField(
        _("kanaal"), max_length=16, choices=ContactChannel.choices, blank=True
    )
    sender_address = models.CharField(_("afzender"), max_length=254, blank=True)
    sender_name = models.CharField(_("naam afzender"), max_length=200, blank=True)
    author = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("medewerker"),
    )
    subject = models.CharField(_("onderwerp"), max_length=255, blank=True)
    text = models.TextField(_("tekst"), blank=True)
    html = models.TextField(_("HTML (opgeschoond)"), blank=True)
    # The channel's id (an email's Message-ID without angle brackets); blank for notes.
    external_id = models.CharField(_("id in het kanaal"), max_length=255, blank=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)  # space-separated ids, oldest first
    recipients = models.JSONField(default=list, blank=True)
    # Auto-replies and bounces received, and what Balie sends by itself (acknowledgements,
    # satisfaction surveys): never answered automatically, so two robots cannot loop.
    is_automated = models.BooleanField(_("automatisch bericht"), default=False)
    automated_reason = models.CharField(max_length=120, blank=True)
    language = models.CharField(_("taal"), max_length=8, blank=True)
    parse_warnings = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    raw = models.FileField(_("origineel"), upload_to=raw_upload_to, blank=True, max_length=200)
    # Outbound only: the way out through the channel (see `DeliveryStatus`).
    delivery_status = models.CharField(
        _("verzendstatus"), max_length=8, choices=DeliveryStatus.choices, blank=True
    )
    delivery_error = models.CharField(_("verzendfout"), max_length=500, blank=True)
    delivery_attempts = models.PositiveSmallIntegerField(default=0)
    # Agents named with @ in an internal note; they get a notification.
    mentions = models.ManyToManyField(
        "tenancy.Membership", blank=True, related_name="+", verbose_name=_("genoemd")
    )

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="message_once_per_channel_id",
            )
        ]
        indexes = [
            models.Index(fields=["conversation", "created_at"], name="message_thread"),
            models.Index(
                fields=["delivery_status"],
                condition=models.Q(delivery_status="queued"),
                name="message_delivery_queued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.sender_address} {self.subject}".strip()

    @property
    def text_parts(self) -> tuple[str, str]:
        """(new text, folded quotes and signature) for display; `text` itself is untouched."""
        return split_reply(self.text)


class Attachment(ShopScopedModel):
    """A file that came with a message. A refused file is kept as a row with the reason and
    no bytes, so agents see that something was sent."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_upload_to, blank=True, max_length=200)
    filename = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(_("soort bestand"), max_length=127)
    size = models.PositiveBigIntegerField(_("grootte (bytes)"), default=0)
    # The Content-ID an HTML body refers to as "cid:…" for an inline image; blank otherwise.
    content_id = models.CharField(max_length=255, blank=True)
    rejected_reason = models.CharField(_("geweigerd omdat"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ("id",)

    def __str__(self) -> str:
        return self.filename

    @property
    def is_rejected(self) -> bool:
        return bool(self.rejected_reason)
