"""A shopper's conversation with the assistant, turn by turn.

A `Session` is what `conversation_id` names in the API (its random `reference`, never a
database id); it remembers the shopper's contact details once given, what the assistant is
waiting for (`pending`: the facts an action needs, or a hand-off waiting for an address) and,
after a hand-off, the inbox conversation that took over. A widget session's `client_key` (a
hash of the widget token's session id) binds it to that browser: another widget cannot continue
it or read its chat. Every question and answer is a
`Turn`: the transcript an agent gets, and what the knowledge gaps are counted from.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel


def new_reference() -> str:
    return secrets.token_urlsafe(18)


class Session(ShopScopedModel):
    reference = models.CharField(max_length=32, unique=True, default=new_reference)
    locale = models.CharField(_("taal"), max_length=8, blank=True)
    channel = models.CharField(_("kanaal"), max_length=16, default="api")
    client_key = models.CharField(max_length=64, blank=True)
    # The live chat (see `chat.py`): when the shopper's widget last read it, up to which
    # message, and up to which message unread replies were sent by email.
    chat_seen_at = models.DateTimeField(null=True, blank=True)
    chat_read_up_to = models.BigIntegerField(default=0)
    chat_mailed_up_to = models.BigIntegerField(default=0)
    customer_email = models.EmailField(_("e-mailadres"), blank=True)
    customer_name = models.CharField(_("naam"), max_length=150, blank=True)
    pending = models.JSONField(default=dict, blank=True)
    clarified = models.BooleanField(default=False)
    conversation = models.ForeignKey(
        "inbox.Conversation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("gesprek met de assistent")
        verbose_name_plural = _("gesprekken met de assistent")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.reference


class Outcome(models.TextChoices):
    ANSWERED = "answered", _("Beantwoord")
    CLARIFY = "clarify", _("Doorgevraagd")
    VERIFY = "verify", _("Gegevens gevraagd")
    ACTION = "action", _("Zelf geregeld")
    CONTACT_NEEDED = "contact_needed", _("Contactgegevens gevraagd")
    HANDOFF = "handoff", _("Doorgegeven aan een collega")


class Turn(ShopScopedModel):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="turns")
    question = models.TextField(_("vraag"))
    answer = models.TextField(_("antwoord"), blank=True)
    outcome = models.CharField(_("uitkomst"), max_length=16, choices=Outcome.choices)
    reason = models.CharField(_("reden"), max_length=32, blank=True)
    intent = models.CharField(_("bedoeling"), max_length=32, blank=True)
    language = models.CharField(_("taal"), max_length=8, blank=True)
    confidence = models.FloatField(default=0.0)
    article_ids = models.JSONField(default=list, blank=True)
    page_url = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("beurt")
        verbose_name_plural = _("beurten")
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=("shop", "outcome", "created_at"))]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.outcome}"
