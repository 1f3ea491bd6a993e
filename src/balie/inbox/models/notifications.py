"""What an agent is told about: a mention in a note, a conversation given to them, an SLA
about to run out. Shown in the app's bell and pushed live over the agent websocket."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel
from balie.inbox.models.conversations import Conversation
from balie.inbox.models.messages import Message


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Genoemd in een notitie")
    ASSIGNED = "assigned", _("Gesprek aan jou toegewezen")
    CUSTOMER_REPLIED = "customer_replied", _("Klant heeft gereageerd")
    SLA_WARNING = "sla_warning", _("SLA bijna verlopen")
    SLA_BREACHED = "sla_breached", _("SLA verlopen")


class Notification(ShopScopedModel):
    recipient = models.ForeignKey(
        "tenancy.Membership", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("soort"), max_length=20, choices=NotificationKind.choices)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Null when the system did it (automatic assignment, the SLA sweep).
    actor = models.ForeignKey(
        "tenancy.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id} on {self.conversation_id}"
