from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from balie.channels.models import Mailbox, RejectedEmail


class MailboxForm(forms.ModelForm[Mailbox]):
    imap_password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="Leeg laten om het huidige wachtwoord te houden.",
    )

    class Meta:
        model = Mailbox
        fields = (
            "shop",
            "name",
            "email_address",
            "imap_host",
            "imap_port",
            "imap_ssl",
            "imap_starttls",
            "imap_username",
            "imap_password",
            "imap_folder",
            "is_active",
        )

    def clean_imap_password(self) -> str:
        # The stored password is never sent to the browser; blank means "unchanged".
        given: str = self.cleaned_data["imap_password"]
        if not given and self.instance.pk:
            return self.instance.imap_password
        if not given:
            raise forms.ValidationError("Vul het wachtwoord van de mailbox in.")
        return given


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin[Mailbox]):
    form = MailboxForm
    list_display = (
        "name",
        "email_address",
        "shop",
        "is_active",
        "last_polled_at",
        "last_error_code",
    )
    list_filter = ("is_active", "shop")
    search_fields = ("name", "email_address")
    readonly_fields = (
        "uidvalidity",
        "last_uid",
        "last_polled_at",
        "last_error",
        "last_error_code",
        "polling_until",
    )


@admin.register(RejectedEmail)
class RejectedEmailAdmin(admin.ModelAdmin[RejectedEmail]):
    list_display = ("created_at", "mailbox", "uid", "reason")
    list_filter = ("shop",)
    readonly_fields = ("shop", "mailbox", "uid", "raw", "reason")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False
