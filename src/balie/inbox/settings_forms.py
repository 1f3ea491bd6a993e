"""Forms of the inbox's settings pages: SLA policies, inbox preferences, macros and labels.
They check what the browser sent; the services decide what can work."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.inbox.models import ConversationStatus, InboxSettings, Macro, Priority, SlaPolicy
from balie.inbox.services.conversations import (
    AUTO_REPLY_TEXT_MAX,
    CSAT_DELAY_MAX,
    TAG_NAME_MAX,
    THREAD_WINDOW_MAX_HOURS,
)
from balie.inbox.services.macros import MACRO_BODY_MAX, MACRO_NAME_MAX, MACRO_STATUSES
from balie.tenancy.models import ContactChannel, Team
from balie.web.settings_fields import DurationField, set_choices

SHARED, PERSONAL = "shared", "personal"


def _team_choices(teams: list[Team], blank: object) -> list[tuple[Any, Any]]:
    return [("", blank), *((team.pk, team.name) for team in teams)]


class SlaPolicyForm(forms.Form):
    name = forms.CharField(
        label=_("Naam"),
        max_length=80,
        help_text=_("Bijvoorbeeld: Standaard, of Spoed per e-mail."),
    )
    priority = forms.ChoiceField(
        label=_("Voor prioriteit"),
        choices=[("", _("Elke prioriteit")), *Priority.choices],
        required=False,
    )
    channel = forms.ChoiceField(
        label=_("Voor kanaal"),
        choices=[("", _("Elk kanaal")), *ContactChannel.choices],
        required=False,
    )
    first_response_minutes = DurationField(
        label=_("Eerste reactie binnen"),
        help_text=_("Werktijd: alleen de uren dat je open bent tellen."),
    )
    resolution_minutes = DurationField(
        label=_("Opgelost binnen"),
        help_text=_("De klok staat stil zolang je op de klant wacht."),
    )
    warn_before_minutes = DurationField(
        label=_("Waarschuwen vanaf"),
        help_text=_("Zoveel werktijd voor de deadline krijgt de behandelaar een melding."),
        required=False,
    )
    is_active = forms.BooleanField(label=_("Actief"), required=False, initial=True)

    def __init__(self, data: Any = None, *, policy: SlaPolicy | None = None) -> None:
        initial = None
        if policy is not None:
            initial = {
                "name": policy.name,
                "priority": policy.priority,
                "channel": policy.channel,
                "first_response_minutes": policy.first_response_minutes,
                "resolution_minutes": policy.resolution_minutes,
                "warn_before_minutes": policy.warn_before_minutes,
                "is_active": policy.is_active,
            }
        else:
            initial = {"warn_before_minutes": 30, "is_active": True}
        super().__init__(data, initial=initial)

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data["warn_before_minutes"] is None:
            data["warn_before_minutes"] = 0
        return data


class InboxSettingsForm(forms.Form):
    thread_window_hours = forms.IntegerField(
        label=_("Venster voor samenvoegen (uren)"),
        min_value=0,
        max_value=THREAD_WINDOW_MAX_HOURS,
        help_text=_(
            "Mailt een klant opnieuw binnen zoveel uur na het laatste bericht, dan komt het "
            "bij het open gesprek. 0 is nooit."
        ),
    )
    default_team = forms.TypedChoiceField(
        label=_("Standaardteam"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Nieuwe gesprekken uit een mailbox zonder eigen team komen bij dit team."),
    )
    auto_reply_enabled = forms.BooleanField(
        label=_("Ontvangstbevestiging sturen"),
        required=False,
        help_text=_(
            "Een klant met een nieuwe vraag per e-mail krijgt meteen een bevestiging met de "
            "verwachte reactietijd. Nooit op automatische berichten, en hooguit één per klant "
            "per dag."
        ),
    )
    auto_reply_text = forms.CharField(
        label=_("Tekst van de bevestiging"),
        max_length=AUTO_REPLY_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Leeg laten voor de standaardtekst. Het voorbeeld laat zien wat de klant krijgt."
        ),
    )
    csat_enabled = forms.BooleanField(
        label=_("Tevredenheid vragen"),
        required=False,
        help_text=_("Na het oplossen vraagt Balie de klant om een cijfer van 1 tot 5."),
    )
    csat_delay_minutes = forms.IntegerField(
        label=_("Wachttijd voor de vraag (minuten)"),
        min_value=0,
        max_value=CSAT_DELAY_MAX,
        help_text=_("Gaat het gesprek binnen deze tijd weer open, dan vraagt Balie niets."),
    )

    def __init__(
        self, data: Any = None, *, settings: InboxSettings, teams: list[Team], preview_url: str
    ) -> None:
        super().__init__(
            data,
            initial={
                "thread_window_hours": settings.thread_window_hours,
                "default_team": settings.default_team_id,
                "auto_reply_enabled": settings.auto_reply_enabled,
                "auto_reply_text": settings.auto_reply_text,
                "csat_enabled": settings.csat_enabled,
                "csat_delay_minutes": settings.csat_delay_minutes,
            },
        )
        set_choices(self, "default_team", _team_choices(teams, _("Geen team")))
        self.fields["auto_reply_text"].widget.attrs.update(
            _live_preview(preview_url, "#reply-preview")
        )


class MacroForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=MACRO_NAME_MAX)
    body = forms.CharField(
        label=_("Tekst"),
        max_length=MACRO_BODY_MAX,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Met variabelen zoals {{ customer.first_name }}; zie de lijst hieronder."),
    )
    shared = forms.ChoiceField(
        label=_("Voor wie"),
        choices=[(SHARED, _("Iedereen in de winkel")), (PERSONAL, _("Alleen voor mij"))],
        required=False,
        widget=forms.RadioSelect,
    )
    set_status = forms.ChoiceField(label=_("Status daarna"), required=False)
    set_priority = forms.ChoiceField(
        label=_("Prioriteit daarna"),
        choices=[("", _("Niet veranderen")), *Priority.choices],
        required=False,
    )
    add_tags = forms.CharField(
        label=_("Labels toevoegen"),
        max_length=20 * (TAG_NAME_MAX + 2),
        required=False,
        help_text=_("Gescheiden door komma’s, bijvoorbeeld: retour, levering."),
    )
    set_team = forms.TypedChoiceField(
        label=_("Team daarna"), coerce=int, empty_value=None, required=False
    )
    is_active = forms.BooleanField(
        label=_("Actief"),
        required=False,
        initial=True,
        help_text=_("Alleen actieve macro’s staan in het antwoordvenster."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        teams: list[Team],
        macro: Macro | None,
        may_share: bool,
        preview_url: str,
    ) -> None:
        initial: dict[str, Any] = {"is_active": True, "shared": SHARED}
        if macro is not None:
            initial = {
                "name": macro.name,
                "body": macro.body,
                "set_status": macro.set_status,
                "set_priority": macro.set_priority,
                "add_tags": ", ".join(macro.add_tags),
                "set_team": macro.set_team_id,
                "is_active": macro.is_active,
            }
        super().__init__(data, initial=initial)
        set_choices(
            self,
            "set_status",
            [
                ("", _("Niet veranderen")),
                *(
                    (status.value, status.label)
                    for status in ConversationStatus
                    if status in MACRO_STATUSES
                ),
            ],
        )
        set_choices(self, "set_team", _team_choices(teams, _("Niet veranderen")))
        self.fields["body"].widget.attrs.update(_live_preview(preview_url, "#macro-preview"))
        if macro is not None or not may_share:
            del self.fields["shared"]  # who a macro is for is chosen once, when it is made

    def tag_names(self) -> list[str]:
        return [name.strip() for name in self.cleaned_data["add_tags"].split(",") if name.strip()]


class TagForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=TAG_NAME_MAX)


def _live_preview(url: str, target: str) -> dict[str, str]:
    """htmx: show the filled-in text while typing (the page's preview button does the same
    without JavaScript)."""
    return {
        "hx-post": url,
        "hx-trigger": "input changed delay:400ms",
        "hx-target": target,
        "hx-include": "closest form",
        "hx-swap": "innerHTML",
    }
