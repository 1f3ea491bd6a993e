"""Channel configuration per shop. This issue: email mailboxes polled over IMAP."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from balie.core.models import ShopScopedModel


def rejected_upload_to(instance: RejectedEmail, filename: str) -> str:
    return f"channels/rejected/{instance.shop_id}/{uuid.uuid4().hex}.eml"


class ImapSecurity(models.TextChoices):
    """How the settings page offers `Mailbox.imap_ssl` and `imap_starttls` (one choice, so
    the two can never both be on)."""

    TLS = "tls", _("TLS (meestal poort 993)")
    STARTTLS = "starttls", _("STARTTLS (meestal poort 143)")
    NONE = "none", _("Geen (alleen binnen een vertrouwd netwerk)")


class SmtpSecurity(models.TextChoices):
    STARTTLS = "starttls", _("STARTTLS (meestal poort 587)")
    SSL = "ssl", _("TLS (meestal poort 465)")
    NONE = "none", _("Geen (alleen binnen een vertrouwd netwerk)")


class Mailbox(ShopScopedModel):
    """A shop's mailbox: Balie reads it over IMAP (read-only: nothing is flagged or deleted)
    and sends agents' replies from its address over SMTP.

    `uidvalidity` and `last_uid` say how far it has been read; they advance only after a
    message is stored, so a restart or a dropped connection neither skips nor repeats one.
    Passwords are stored in the database as given; protect the database and its backups.
    Without an SMTP server the mailbox only receives, and replies say so plainly.
    """

    name = models.CharField(_("naam"), max_length=80)
    email_address = models.EmailField(_("e-mailadres"))
    imap_host = models.CharField(_("IMAP-server"), max_length=253)
    imap_port = models.PositiveIntegerField(_("IMAP-poort"), default=993)
    imap_ssl = models.BooleanField(_("TLS (IMAPS)"), default=True)
    imap_starttls = models.BooleanField(_("STARTTLS"), default=False)
    imap_username = models.CharField(_("gebruikersnaam"), max_length=254)
    imap_password = models.CharField(_("wachtwoord"), max_length=254)
    imap_folder = models.CharField(_("map"), max_length=254, default="INBOX")
    smtp_host = models.CharField(
        _("SMTP-server"),
        max_length=253,
        blank=True,
        help_text=_("Leeg laten als Balie vanuit deze mailbox niets verstuurt."),
    )
    smtp_port = models.PositiveIntegerField(_("SMTP-poort"), default=587)
    smtp_security = models.CharField(
        _("beveiliging SMTP"),
        max_length=8,
        choices=SmtpSecurity.choices,
        default=SmtpSecurity.STARTTLS,
    )
    smtp_username = models.CharField(
        _("gebruikersnaam SMTP"),
        max_length=254,
        blank=True,
        help_text=_("Leeg laten om de IMAP-gebruikersnaam te gebruiken."),
    )
    smtp_password = models.CharField(
        _("wachtwoord SMTP"),
        max_length=254,
        blank=True,
        help_text=_("Leeg laten om het IMAP-wachtwoord te gebruiken."),
    )
    sender_name = models.CharField(
        _("naam afzender"),
        max_length=120,
        blank=True,
        help_text=_("Zoals klanten je zien, bijvoorbeeld ‘Klantenservice De Pollepel’."),
    )
    # New conversations that arrive here go to this team's queue (and its assignment rule).
    team = models.ForeignKey(
        "tenancy.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team"),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)
    # A poll holds the mailbox until this moment, so two workers never read it at once.
    polling_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxen")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "email_address"], name="mailbox_address_unique_per_shop"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email_address}>"

    @property
    def imap_security(self) -> ImapSecurity:
        if self.imap_ssl:
            return ImapSecurity.TLS
        return ImapSecurity.STARTTLS if self.imap_starttls else ImapSecurity.NONE


class RejectedEmail(ShopScopedModel):
    """A fetched email that could not be stored in the inbox, kept with the reason."""

    mailbox = models.ForeignKey(Mailbox, on_delete=models.CASCADE, related_name="rejected")
    uid = models.BigIntegerField()
    raw = models.FileField(upload_to=rejected_upload_to)
    reason = models.CharField(max_length=500)

    class Meta:
        verbose_name = _("geweigerde e-mail")
        verbose_name_plural = _("geweigerde e-mails")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.mailbox_id}:{self.uid} {self.reason}"
