"""Forms of the shop's settings pages: opening hours, closing days, contact options, teams
and agents. They check what the browser sent; the services decide what can work."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.tenancy import opening_hours
from balie.tenancy.models import (
    ROLE_RANK,
    AssignmentMode,
    ContactChannel,
    ContactOption,
    Membership,
    Role,
    Shop,
    Team,
    Weekday,
)
from balie.tenancy.opening_periods import PeriodsInvalid, format_periods, parse_periods
from balie.tenancy.services import CAPACITY_MAX, TEAM_NAME_MAX
from balie.web.settings_fields import DurationField, set_choices

WEEK_FIELDS = [f"day_{day}" for day in range(7)]

ASSIGNMENT_HELP = {
    AssignmentMode.MANUAL: _(
        "Nieuwe gesprekken wachten in de wachtrij van het team tot iemand ze oppakt."
    ),
    AssignmentMode.ROUND_ROBIN: _(
        "Balie geeft elk nieuw gesprek aan de beschikbare medewerker die het langst niets kreeg."
    ),
    AssignmentMode.LEAST_OPEN: _(
        "Balie geeft elk nieuw gesprek aan de beschikbare medewerker met de minste open gesprekken."
    ),
}


class WeekForm(forms.Form):
    """Seven lines, one per weekday: "9:00–17:00" or "9:00–12:30, 13:00–17:00"; blank is
    closed (or, for an agent, not working)."""

    def __init__(
        self,
        data: Any = None,
        *,
        periods: Iterable[tuple[int, dt.time, dt.time]] = (),
        blank: str | None = None,
    ) -> None:
        by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
        for day, start, end in periods:
            by_day.setdefault(day, []).append((start, end))
        super().__init__(
            data, initial={f"day_{day}": format_periods(by_day.get(day, [])) for day in range(7)}
        )
        for day in range(7):
            self.fields[f"day_{day}"] = forms.CharField(
                label=str(Weekday(day).label).capitalize(),
                max_length=200,
                required=False,
                widget=forms.TextInput(
                    attrs={
                        "placeholder": _("gesloten") if blank is None else blank,
                        "autocomplete": "off",
                        "class": "week__input",
                    }
                ),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for day in range(7):
            name = f"day_{day}"
            if name not in cleaned:
                continue
            try:
                day_periods = parse_periods(cleaned[name])
            except PeriodsInvalid as error:
                self.add_error(name, error.message)
                continue
            for (_start, end), (next_start, _end) in itertools.pairwise(day_periods):
                if next_start < end:
                    self.add_error(name, _("Deze tijdvakken overlappen elkaar."))
                    break
            cleaned[name] = day_periods
        return cleaned

    def periods(self) -> list[tuple[int, dt.time, dt.time]]:
        return [
            (day, start, end) for day in range(7) for start, end in self.cleaned_data[f"day_{day}"]
        ]


class OpeningHoursForm(WeekForm):
    time_zone = forms.ChoiceField(label=_("Tijdzone"))
    holiday_country = forms.ChoiceField(label=_("Feestdagen van"))
    closed_on_public_holidays = forms.BooleanField(
        label=_("Dicht op feestdagen"),
        required=False,
        help_text=_("Op feestdagen telt de klok van je SLA-afspraken niet."),
    )

    def __init__(
        self, data: Any = None, *, shop: Shop, periods: Iterable[tuple[int, dt.time, dt.time]]
    ) -> None:
        super().__init__(data, periods=periods)
        self.initial.update(
            time_zone=shop.time_zone,
            holiday_country=shop.holiday_country,
            closed_on_public_holidays=shop.closed_on_public_holidays,
        )
        zones = sorted(zoneinfo.available_timezones())
        set_choices(self, "time_zone", [(zone, zone.replace("_", " ")) for zone in zones])
        countries: dict[str, Any] = dict(opening_hours.HOLIDAY_COUNTRIES)
        countries.setdefault(shop.holiday_country, shop.holiday_country)
        set_choices(self, "holiday_country", list(countries.items()))
        # The week first, then the rest, whatever order the fields were declared in.
        self.order_fields(
            [*WEEK_FIELDS, "time_zone", "holiday_country", "closed_on_public_holidays"]
        )


class ClosingDaysForm(forms.Form):
    first = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last = forms.DateField(
        label=_("Tot en met"),
        required=False,
        help_text=_("Alleen voor meer dagen achter elkaar."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=opening_hours.REASON_MAX,
        required=False,
        help_text=_("Klanten zien de reden in het helpcentrum, bijvoorbeeld Bedrijfsuitje."),
    )


class ContactOptionForm(forms.Form):
    channel = forms.ChoiceField(label=_("Kanaal"), choices=ContactChannel.choices)
    label = forms.CharField(
        label=_("Naam"),
        max_length=opening_hours.LABEL_MAX,
        help_text=_("Zoals klanten het zien, bijvoorbeeld E-mail of Bel ons."),
    )
    value = forms.CharField(
        label=_("Adres of nummer"),
        max_length=254,
        required=False,
        help_text=_("E-mailadres, telefoonnummer of link."),
    )
    response_minutes = DurationField(
        label=_("Beloofde reactietijd"),
        working=False,
        max_minutes=opening_hours.RESPONSE_MINUTES_MAX,
    )
    business_hours_only = forms.BooleanField(
        label=_("Alleen tijdens openingstijden"),
        required=False,
        initial=True,
        help_text=_("Dan telt de reactietijd alleen als je open bent."),
    )
    position = forms.IntegerField(label=_("Volgorde"), min_value=0, max_value=32767, required=False)
    is_active = forms.BooleanField(
        label=_("Actief"),
        required=False,
        initial=True,
        help_text=_("Alleen actieve contactmogelijkheden staan in het helpcentrum."),
    )

    def __init__(self, data: Any = None, *, option: ContactOption | None = None) -> None:
        initial: dict[str, Any] = {
            "business_hours_only": True,
            "is_active": True,
            "response_minutes": 240,
        }
        if option is not None:
            initial = {
                "channel": option.channel,
                "label": option.label,
                "value": option.value,
                "response_minutes": option.response_minutes,
                "business_hours_only": option.business_hours_only,
                "position": option.position,
                "is_active": option.is_active,
            }
        super().__init__(data, initial=initial)


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Naam"), max_length=TEAM_NAME_MAX)
    assignment = forms.ChoiceField(
        label=_("Nieuwe gesprekken toewijzen"),
        choices=AssignmentMode.choices,
        initial=AssignmentMode.MANUAL,
        widget=forms.RadioSelect,
    )
    members = forms.TypedMultipleChoiceField(
        label=_("Leden"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, data: Any = None, *, agents: list[Membership], team: Team | None = None
    ) -> None:
        initial = None
        if team is not None:
            initial = {
                "name": team.name,
                "assignment": team.assignment,
                "members": [member.pk for member in team.members.all()],
            }
        super().__init__(data, initial=initial)
        set_choices(
            self, "members", [(agent.pk, agent.display_name or str(agent.user)) for agent in agents]
        )

    def assignment_choices(self) -> list[tuple[Any, Any]]:
        """Each mode's radio button with its sentence, for the template."""
        return [
            (choice, ASSIGNMENT_HELP[AssignmentMode(choice.data["value"])])
            for choice in self["assignment"]
        ]


class TeamDeleteForm(forms.Form):
    move_to = forms.TypedChoiceField(
        label=_("Gesprekken van dit team gaan naar"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, data: Any = None, *, teams: list[Team]) -> None:
        super().__init__(data)
        set_choices(
            self,
            "move_to",
            [
                ("", _("Geen team")),
                *((team.pk, team.name) for team in teams),
            ],
        )


def role_choices(actor: Membership) -> list[tuple[str, Any]]:
    """The roles `actor` may give: an owner all of them, an admin up to admin."""
    return [
        (role.value, role.label)
        for role in Role
        if actor.role == Role.OWNER or ROLE_RANK[role] <= ROLE_RANK[Role.ADMIN]
    ]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mailadres"), max_length=254)
    full_name = forms.CharField(label=_("Naam"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Rol"), initial=Role.AGENT)

    def __init__(self, data: Any = None, *, actor: Membership) -> None:
        super().__init__(data)
        set_choices(self, "role", role_choices(actor))


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"))

    def __init__(self, data: Any = None, *, actor: Membership, agent: Membership) -> None:
        super().__init__(data, initial={"role": agent.role})
        choices = role_choices(actor)
        if agent.role not in dict(choices):  # an admin looking at an owner
            choices.append((agent.role, Role(agent.role).label))
        set_choices(self, "role", choices)


class CapacityForm(forms.Form):
    max_open_conversations = forms.IntegerField(
        label=_("Hoogstens zoveel open gesprekken"),
        min_value=0,
        max_value=CAPACITY_MAX,
        required=False,
        help_text=_(
            "Daarboven krijgt deze medewerker geen nieuwe gesprekken meer vanzelf. Leeg is "
            "geen maximum."
        ),
    )
