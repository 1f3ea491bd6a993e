"""The settings page's form for a mailbox. It checks what the browser sent; the service
(`channels.services`) decides what can work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.channels.models import ImapSecurity, Mailbox, SmtpSecurity
from balie.tenancy.models import Team
from balie.web.settings_fields import set_choices

_OFF = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}


class MailboxForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=80,
        help_text=_("Voor jezelf en je collega’s, bijvoorbeeld Klantenservice."),
    )
    email_address = forms.EmailField(
        label=_("E-mailadres"),
        max_length=254,
        help_text=_("Het adres waarop klanten je mailen."),
        widget=forms.EmailInput(attrs=_OFF),
    )
    sender_name = forms.CharField(
        label=_("Naam afzender"),
        max_length=120,
        required=False,
        help_text=_("Zoals klanten je antwoorden zien, bijvoorbeeld Klantenservice De Pollepel."),
    )
    team = forms.TypedChoiceField(
        label=_("Team"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Nieuwe gesprekken uit deze mailbox komen bij dit team."),
    )
    is_active = forms.BooleanField(
        label=_("Actief"),
        required=False,
        initial=True,
        help_text=_("Balie leest een actieve mailbox elke minuut."),
    )
    imap_host = forms.CharField(
        label=_("IMAP-server"),
        max_length=253,
        widget=forms.TextInput(attrs={**_OFF, "placeholder": "imap.jouwprovider.nl"}),
    )
    imap_security = forms.ChoiceField(
        label=_("Beveiliging"), choices=ImapSecurity.choices, initial=ImapSecurity.TLS
    )
    imap_port = forms.IntegerField(label=_("Poort"), min_value=1, max_value=65535, initial=993)
    imap_username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=254,
        help_text=_("Vaak het volledige e-mailadres."),
        widget=forms.TextInput(attrs=_OFF),
    )
    imap_password = forms.CharField(
        label=_("Wachtwoord"),
        max_length=254,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    imap_folder = forms.CharField(
        label=_("Map"),
        max_length=254,
        initial="INBOX",
        help_text=_("De map die Balie leest, meestal INBOX."),
        widget=forms.TextInput(attrs=_OFF),
    )
    smtp_host = forms.CharField(
        label=_("SMTP-server"),
        max_length=253,
        required=False,
        help_text=_("Leeg laten als Balie vanuit deze mailbox niets verstuurt."),
        widget=forms.TextInput(attrs={**_OFF, "placeholder": "smtp.jouwprovider.nl"}),
    )
    smtp_security = forms.ChoiceField(
        label=_("Beveiliging"), choices=SmtpSecurity.choices, initial=SmtpSecurity.STARTTLS
    )
    smtp_port = forms.IntegerField(label=_("Poort"), min_value=1, max_value=65535, initial=587)
    smtp_username = forms.CharField(
        label=_("Gebruikersnaam"),
        max_length=254,
        required=False,
        help_text=_("Leeg laten om de gebruikersnaam van IMAP te gebruiken."),
        widget=forms.TextInput(attrs=_OFF),
    )
    smtp_password = forms.CharField(
        label=_("Wachtwoord"),
        max_length=254,
        required=False,
        strip=False,
        help_text=_("Leeg laten om het wachtwoord van IMAP te gebruiken."),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    smtp_password_clear = forms.BooleanField(
        label=_("Het wachtwoord van IMAP gebruiken"),
        required=False,
        help_text=_("Wist het eigen wachtwoord voor SMTP."),
    )

    def __init__(
        self, data: Any = None, *, teams: list[Team], mailbox: Mailbox | None = None
    ) -> None:
        initial = _initial(mailbox) if mailbox is not None else None
        super().__init__(data, initial=initial)
        self.mailbox = mailbox
        set_choices(
            self,
            "team",
            [
                ("", _("Geen team")),
                *((team.pk, team.name) for team in teams),
            ],
        )
        if mailbox is not None:
            # Stored passwords never go back to the browser: blank keeps them.
            self.fields["imap_password"].required = False
            self.fields["imap_password"].help_text = _(
                "Leeg laten om het huidige wachtwoord te houden."
            )
            if mailbox.smtp_password:
                self.fields["smtp_password"].help_text = _(
                    "Leeg laten om het huidige wachtwoord te houden."
                )
        if mailbox is None or not mailbox.smtp_password:
            del self.fields["smtp_password_clear"]

    def service_fields(self, teams: dict[int, Team]) -> dict[str, Any]:
        """The cleaned data as `mailbox_create` / `mailbox_update` take it."""
        data = dict(self.cleaned_data)
        team_id = data.pop("team")
        data["team"] = teams.get(team_id) if team_id is not None else None
        clear = data.pop("smtp_password_clear", False)
        if self.mailbox is not None:
            data["imap_password"] = data["imap_password"] or None
            data["smtp_password"] = "" if clear else data["smtp_password"] or None
        return data


def _initial(mailbox: Mailbox) -> dict[str, Any]:
    return {
        "name": mailbox.name,
        "email_address": mailbox.email_address,
        "sender_name": mailbox.sender_name,
        "team": mailbox.team_id,
        "is_active": mailbox.is_active,
        "imap_host": mailbox.imap_host,
        "imap_security": mailbox.imap_security,
        "imap_port": mailbox.imap_port,
        "imap_username": mailbox.imap_username,
        "imap_folder": mailbox.imap_folder,
        "smtp_host": mailbox.smtp_host,
        "smtp_security": mailbox.smtp_security,
        "smtp_port": mailbox.smtp_port,
        "smtp_username": mailbox.smtp_username,
    }
