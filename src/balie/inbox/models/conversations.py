"""Conversations with customers, their tags, and the trail of every change."""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel
from balie.tenancy.models import ContactChannel

# Crockford's base32 without I, L, O and U: no look-alikes when a customer types it over.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8  # 40 bits: collisions within one shop are rare and retried


def reference_token_new() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


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


class SlaState(models.TextChoices):
    """One SLA clock's state as last computed (`inbox.sla.ClockState`); blank: no policy."""

    NONE = "", _("Geen SLA")
    RUNNING = "running", _("Loopt")
    PAUSED = "paused", _("Gepauzeerd")
    WARNING = "warning", _("Bijna verlopen")
    MET = "met", _("Gehaald")
    BREACHED = "breached", _("Verlopen")


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
    # The shop's own address on that channel (the mailbox address a customer wrote to, a
    # WhatsApp number id); replies leave from it. Blank when the channel has only one.
    channel_account = models.CharField(_("ontvangen op"), max_length=254, blank=True)
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
    # SLA clocks as last computed by `inbox.services.sla` (the calculation is `inbox.sla`).
    first_response_due_at = models.DateTimeField(
        _("eerste reactie uiterlijk"), null=True, blank=True
    )
    resolution_due_at = models.DateTimeField(_("oplossing uiterlijk"), null=True, blank=True)
    sla_first_response_state = models.CharField(
        _("SLA eerste reactie"), max_length=8, choices=SlaState.choices, blank=True
    )
    sla_resolution_state = models.CharField(
        _("SLA oplossing"), max_length=8, choices=SlaState.choices, blank=True
    )
    # The next deadline of a clock that still runs: the inbox sorts and filters on it.
    sla_due_at = models.DateTimeField(_("eerstvolgende SLA-deadline"), null=True, blank=True)
    # When a clock changes state by itself (starts warning, breaches); the SLA sweep
    # recomputes every conversation whose moment has come, in one query.
    sla_next_check_at = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(_("eerste reactie op"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("opgelost op"), null=True, blank=True)
    last_message_at = models.DateTimeField(_("laatste bericht op"), default=timezone.now)
    snoozed_until = models.DateTimeField(_("gesnoozed tot"), null=True, blank=True)
    # Set on a conversation merged into another: its messages moved there, it is closed.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_from",
        verbose_name=_("samengevoegd met"),
    )
    csat_requested_at = models.DateTimeField(_("tevredenheid gevraagd op"), null=True, blank=True)
    csat_score = models.PositiveSmallIntegerField(
        _("tevredenheid (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    csat_comment = models.TextField(_("toelichting bij tevredenheid"), blank=True)
    csat_rated_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)

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
            models.Index(fields=["shop", "-last_message_at"], name="conversation_all_list"),
            models.Index(fields=["shop", "assignee", "status"], name="conversation_assignee"),
            models.Index(fields=["shop", "team", "status"], name="conversation_team"),
            models.Index(fields=["shop", "customer"], name="conversation_customer"),
            # "SLA bijna verlopen": active conversations by their next deadline.
            models.Index(
                fields=["shop", "sla_due_at"],
                condition=models.Q(sla_due_at__isnull=False, status__in=ACTIVE_STATUSES),
                name="conversation_sla_due_active",
            ),
            models.Index(
                fields=["sla_next_check_at"],
                condition=models.Q(sla_next_check_at__isnull=False),
                name="conversation_sla_check",
            ),
        ]

    def __str__(self) -> str:
        return f"[#{self.reference}] {self.subject}".strip()

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class EventKind(models.TextChoices):
    CREATED = "created", _("Gesprek gestart")
    MESSAGE_RECEIVED = "message_received", _("Bericht ontvangen")
    MESSAGE_SENT = "message_sent", _("Bericht verstuurd")
    DELIVERY_FAILED = "delivery_failed", _("Versturen mislukt")
    AUTO_REPLY_SENT = "auto_reply_sent", _("Automatisch antwoord verstuurd")
    NOTE_ADDED = "note_added", _("Notitie toegevoegd")
    STATUS_CHANGED = "status_changed", _("Status gewijzigd")
    PRIORITY_CHANGED = "priority_changed", _("Prioriteit gewijzigd")
    ASSIGNED = "assigned", _("Toegewezen")
    TEAM_CHANGED = "team_changed", _("Team gewijzigd")
    TAGGED = "tagged", _("Labels gewijzigd")
    SLA_WARNING = "sla_warning", _("SLA bijna verlopen")
    SLA_BREACHED = "sla_breached", _("SLA verlopen")
    CSAT_REQUESTED = "csat_requested", _("Beoordeling gevraagd")
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
