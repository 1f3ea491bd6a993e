"""Conversations with customers, their messages and attachments, and the trail of every change.

Every channel delivers into these tables through `inbox.services.message_receive`; agents
change them through the other services there. Raw originals and attachment bytes live in
Django storage (not the database), under per-shop paths with random names.
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel
from balie.inbox.text import split_reply
from balie.tenancy.models import ContactChannel

# Crockford's base32 without I, L, O and U: no look-alikes when a customer types it over.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8  # 40 bits: collisions within one shop are rare and retried


def reference_token_new() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def _stored_name(kind: str, shop_id: int) -> str:
    # Random names: a sender's filename never becomes a path, and names cannot be guessed.
    return f"inbox/{kind}/{shop_id}/{timezone.now():%Y/%m}/{secrets.token_urlsafe(18)}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    return _stored_name("attachments", instance.shop_id)


def raw_upload_to(instance: Message, filename: str) -> str:
    return _stored_name("raw", instance.shop_id)


class InboxSettings(ShopScopedModel):
    """A shop's inbox preferences. Created the first time a shop changes them; until then
    `selectors.inbox_settings_get` answers with the defaults below."""

    thread_window_hours = models.PositiveIntegerField(
        _("venster voor samenvoegen (uren)"),
        default=72,
        validators=[MaxValueValidator(24 * 90)],
        help_text=_(
            "Een nieuw bericht van een klant komt bij een open gesprek van die klant als het "
            "laatste bericht daarin niet ouder is dan dit aantal uren."
        ),
    )

    class Meta:
        verbose_name = _("inbox-instellingen")
        verbose_name_plural = _("inbox-instellingen")
        constraints = [models.UniqueConstraint(fields=["shop"], name="inbox_settings_once")]

    def __str__(self) -> str:
        return f"inbox settings of shop {self.shop_id}"


class Tag(ShopScopedModel):
    name = models.CharField(_("naam"), max_length=50)

    class Meta:
        verbose_name = _("label")
        verbose_name_plural = _("labels")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint("shop", Lower("name"), name="tag_name_unique_per_shop")
        ]

    def __str__(self) -> str:
        return self.name


class ConversationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PENDING = "pending", _("Wacht op klant")
    SNOOZED = "snoozed", _("Gesnoozed")
    RESOLVED = "resolved", _("Opgelost")
    CLOSED = "closed", _("Gesloten")


# Conversations an agent (or the customer) still has to act on.
ACTIVE_STATUSES = (ConversationStatus.OPEN, ConversationStatus.PENDING, ConversationStatus.SNOOZED)


class Priority(models.TextChoices):
    LOW = "low", _("Laag")
    NORMAL = "normal", _("Normaal")
    HIGH = "high", _("Hoog")
    URGENT = "urgent", _("Urgent")


class Conversation(ShopScopedModel):
    """One thread with one customer, across channels; the unit agents work on."""

    customer = models.ForeignKey(
        "customers.Customer",
        on_delete=models.PROTECT,
        related_name="conversations",
        verbose_name=_("klant"),
    )
    channel = models.CharField(
        _("kanaal van het eerste bericht"), max_length=16, choices=ContactChannel.choices
    )
    subject = models.CharField(_("onderwerp"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ConversationStatus.choices,
        default=ConversationStatus.OPEN,
    )
    priority = models.CharField(
        _("prioriteit"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_conversations",
        verbose_name=_("behandelaar"),
    )
    team = models.ForeignKey(
        "tenancy.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conversations",
        verbose_name=_("team"),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="conversations", verbose_name=_("labels")
    )
    topic = models.CharField(_("onderwerpcategorie"), max_length=64, blank=True)
    language = models.CharField(_("taal"), max_length=8, blank=True)
    # Shown in email subjects as "[#K7M2QX9A]" so replies find their thread without headers.
    reference = models.CharField(
        _("referentie"), max_length=REFERENCE_LENGTH, default=reference_token_new
    )
    first_response_due_at = models.DateTimeField(
        _("eerste reactie uiterlijk"), null=True, blank=True
    )
    resolution_due_at = models.DateTimeField(_("oplossing uiterlijk"), null=True, blank=True)
    first_responded_at = models.DateTimeField(_("eerste reactie op"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("opgelost op"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("laatste bericht op"), default=timezone.now)
    snoozed_until = models.DateTimeField(_("gesnoozed tot"), null=True, blank=True)
    csat_score = models.PositiveSmallIntegerField(
        _("tevredenheid (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    csat_comment = models.TextField(_("toelichting bij tevredenheid"), blank=True)

    class Meta:
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")
        ordering = ("-last_message_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "reference"], name="conversation_reference_unique_per_shop"
            ),
            models.CheckConstraint(
                condition=models.Q(csat_score__isnull=True)
                | models.Q(csat_score__gte=1, csat_score__lte=5),
                name="conversation_csat_score_1_to_5",
            ),
        ]
        indexes = [
            models.Index(
                fields=["shop", "status", "-last_message_at"], name="conversation_inbox_list"
            ),
            models.Index(fields=["shop", "assignee", "status"], name="conversation_assignee"),
            models.Index(fields=["shop", "customer"], name="conversation_customer"),
        ]

    def __str__(self) -> str:
        return f"[#{self.reference}] {self.subject}".strip()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class Direction(models.TextChoices):
    INBOUND = "in", _("Van klant")
    OUTBOUND = "out", _("Naar klant")
    NOTE = "note", _("Interne notitie")


class Message(ShopScopedModel):
    """One message in a conversation: from the customer, to the customer, or an internal note.

    `text` and `html` are what was received; `html` is sanitised before it is stored (see
    `inbox.sanitize`). Display folds quoted history with `text_parts` and keeps the original.
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
    is_automated = models.BooleanField(_("automatisch bericht"), default=False)
    automated_reason = models.CharField(max_length=120, blank=True)
    language = models.CharField(_("taal"), max_length=8, blank=True)
    parse_warnings = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    raw = models.FileField(_("origineel"), upload_to=raw_upload_to, blank=True, max_length=200)

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
        indexes = [models.Index(fields=["conversation", "created_at"], name="message_thread")]

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


class EventKind(models.TextChoices):
    CREATED = "created", _("Gesprek gestart")
    MESSAGE_RECEIVED = "message_received", _("Bericht ontvangen")
    MESSAGE_SENT = "message_sent", _("Bericht verstuurd")
    NOTE_ADDED = "note_added", _("Notitie toegevoegd")
    STATUS_CHANGED = "status_changed", _("Status gewijzigd")
    PRIORITY_CHANGED = "priority_changed", _("Prioriteit gewijzigd")
    ASSIGNED = "assigned", _("Toegewezen")
    TEAM_CHANGED = "team_changed", _("Team gewijzigd")
    TAGGED = "tagged", _("Labels gewijzigd")
    CSAT_RECEIVED = "csat_received", _("Beoordeling ontvangen")
    MERGED = "merged", _("Samengevoegd")
    SPLIT = "split", _("Gesplitst")


class ConversationEvent(ShopScopedModel):
    """One change to a conversation, who made it and the details; never edited afterwards."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("soort"), max_length=32, choices=EventKind.choices)
    # Null for changes made by the system or by the customer (via a channel).
    actor = models.ForeignKey(
        "tenancy.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("door"),
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["conversation", "created_at"], name="event_thread")]

    def __str__(self) -> str:
        return f"{self.kind} on conversation {self.conversation_id}"
