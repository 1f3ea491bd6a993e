"""The settings page's form for a webhook endpoint."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.webhooks import events


class WebhookEndpointForm(forms.Form):
    url = forms.CharField(
        label=_("Adres (URL)"),
        max_length=2000,
        help_text=_("Een openbaar https-adres van je eigen systeem, bijvoorbeeld https://…/balie."),
        widget=forms.URLInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    description = forms.CharField(
        label=_("Omschrijving"),
        max_length=200,
        required=False,
        help_text=_("Waarvoor is deze webhook? Bijvoorbeeld: koppeling met ons CRM."),
    )
    events = forms.MultipleChoiceField(
        label=_("Gebeurtenissen"),
        choices=list(events.EVENTS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één gebeurtenis.")},
    )
