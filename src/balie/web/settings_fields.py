"""Form fields the settings pages share: a duration typed as a number and a unit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

MINUTES, HOURS = "minutes", "hours"
_UNIT_MINUTES = {MINUTES: 1, HOURS: 60}
WORKING_UNITS = [(MINUTES, _("werkminuten")), (HOURS, _("werkuren"))]
CLOCK_UNITS = [(MINUTES, _("minuten")), (HOURS, _("uur"))]
# 14 days of working time: the longest SLA target and response promise Balie takes.
DURATION_MAX_MINUTES = 14 * 24 * 60


def as_amount(minutes: int) -> tuple[int, str]:
    """(4, hours) rather than (240, minutes) when it is a whole number of hours."""
    return (minutes // 60, HOURS) if minutes and minutes % 60 == 0 else (minutes, MINUTES)


class DurationWidget(forms.MultiWidget):
    """A number and a unit side by side; the unit's select is labelled for screen readers."""

    template_name = "web/settings/_duration_widget.html"

    def __init__(
        self, *, units: list[tuple[str, Any]], attrs: dict[str, Any] | None = None
    ) -> None:
        super().__init__(
            [
                forms.NumberInput(
                    attrs={"min": 0, "inputmode": "numeric", "class": "duration__amount"}
                ),
                forms.Select(
                    choices=units, attrs={"class": "duration__unit", "aria-label": _("Eenheid")}
                ),
            ],
            attrs,
        )

    def decompress(self, value: Any) -> list[Any]:
        if value is None or value == "":
            return [None, HOURS]
        return list(as_amount(int(value)))

    def id_for_label(self, id_: str) -> str:
        # The field's label names the number (Django's MultiWidget labels nothing).
        return f"{id_}_0" if id_ else id_


class DurationField(forms.MultiValueField):
    """A number of minutes, typed in minutes or hours (`working`: "werkminuten/werkuren")."""

    def __init__(
        self, *, working: bool = True, max_minutes: int = DURATION_MAX_MINUTES, **kwargs: Any
    ) -> None:
        units = WORKING_UNITS if working else CLOCK_UNITS
        self.max_minutes = max_minutes
        kwargs.setdefault("widget", DurationWidget(units=units))
        fields = (
            forms.IntegerField(min_value=0, max_value=max_minutes),
            forms.ChoiceField(choices=units),
        )
        super().__init__(fields=fields, require_all_fields=True, **kwargs)

    def compress(self, data_list: list[Any]) -> int | None:
        if not data_list or data_list[0] is None:
            return None
        minutes = int(data_list[0]) * _UNIT_MINUTES[data_list[1]]
        if minutes > self.max_minutes:
            raise forms.ValidationError(
                _("Hoogstens 14 dagen (%(max)d minuten).") % {"max": self.max_minutes}
            )
        return minutes


def set_choices(form: forms.Form, name: str, choices: list[tuple[Any, Any]]) -> None:
    """Give a choice field of `form` its choices (known only per request: teams, agents)."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    field.choices = choices
