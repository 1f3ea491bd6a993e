"""Forms of the agent workspace: the list's filters and bulk actions, and the controls of a
conversation. They validate what the browser sends; the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from balie.inbox.models import ConversationStatus, Priority, Tag
from balie.inbox.workspace import ANY_STATUS, Filters, InboxView
from balie.tenancy.models import ContactChannel, Membership, Team

NOTE_MAX_CHARS = 20_000
BULK_MAX = 200
SEARCH_MAX_CHARS = 200


def _choices_with_blank(blank: object, choices: Any) -> list[tuple[str, str]]:
    return [("", str(blank)), *((str(value), str(label)) for value, label in choices)]


def set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    field.choices = choices


class FilterForm(forms.Form):
    """The list's GET parameters. Anything invalid falls back to the view's default."""

    view = forms.ChoiceField(
        choices=[(view.value, view.label) for view in InboxView], required=False
    )
    q = forms.CharField(label=_("Zoeken"), max_length=SEARCH_MAX_CHARS, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[*ConversationStatus.choices, (ANY_STATUS, _("Alle statussen"))],
        required=False,
    )
    channel = forms.ChoiceField(label=_("Kanaal"), required=False)
    priority = forms.ChoiceField(label=_("Prioriteit"), required=False)
    tag = forms.ChoiceField(label=_("Label"), required=False)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int, empty_value=None, required=False)
    assignee = forms.TypedChoiceField(
        label=_("Behandelaar"), coerce=int, empty_value=None, required=False
    )
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    def __init__(
        self,
        data: Any,
        *,
        tags: list[Tag],
        teams: list[Team],
        agents: list[Membership],
    ) -> None:
        super().__init__(data)
        set_choices(self, "channel", _choices_with_blank(_("Alle kanalen"), ContactChannel.choices))
        set_choices(self, "priority", _choices_with_blank(_("Elke prioriteit"), Priority.choices))
        set_choices(
            self, "tag", _choices_with_blank(_("Alle labels"), ((t.name, t.name) for t in tags))
        )
        set_choices(
            self, "team", _choices_with_blank(_("Alle teams"), ((t.pk, t.name) for t in teams))
        )
        set_choices(
            self,
            "assignee",
            _choices_with_blank(_("Iedereen"), ((a.pk, agent_name(a)) for a in agents)),
        )

    def chosen_view(self) -> InboxView:
        value = self.cleaned_data.get("view") if self.is_valid() else None
        return InboxView(value) if value else InboxView.MINE

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        return Filters(
            status=data.get("status") or ConversationStatus.OPEN,
            q=(data.get("q") or "").strip(),
            channel=data.get("channel") or "",
            priority=data.get("priority") or "",
            tag=data.get("tag") or "",
            team_id=data.get("team"),
            assignee_id=data.get("assignee"),
        )

    def page_number(self) -> int:
        return (self.cleaned_data.get("page") if self.is_valid() else None) or 1


def agent_name(agent: Membership) -> str:
    return agent.display_name or agent.user.full_name or agent.user.email


class BulkForm(forms.Form):
    """One action for the conversations ticked in the list."""

    action = forms.ChoiceField(
        choices=[
            ("assign", _("Toewijzen")),
            ("status", _("Status")),
            ("tag", _("Label toevoegen")),
            ("team", _("Team")),
        ]
    )
    assignee = forms.CharField(required=False)  # an agent id, "me" or "none"
    # Snoozing needs a moment per conversation: not a bulk action.
    status = forms.ChoiceField(
        choices=[("", "—")]
        + [(s.value, s.label) for s in ConversationStatus if s != ConversationStatus.SNOOZED],
        required=False,
    )
    tag = forms.CharField(max_length=50, required=False)
    team = forms.CharField(required=False)  # a team id or "none"

    def __init__(self, data: Any) -> None:
        super().__init__(data)
        # The view keeps only the shop's own conversations; here only numbers are kept.
        values = data.getlist("ids") if hasattr(data, "getlist") else data.get("ids", [])
        self.ids = [int(value) for value in values if str(value).isdigit()][:BULK_MAX]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.ids:
            raise forms.ValidationError(_("Kies eerst gesprekken."), code="no_ids")
        return cleaned


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Interne notitie"),
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ConversationStatus.choices)
    # A preset ("tomorrow" …) or an exact local moment; only for status "snoozed".
    snooze = forms.ChoiceField(
        choices=[
            ("", "—"),
            ("later", _("Later vandaag")),
            ("tomorrow", _("Morgen")),
            ("next_week", _("Volgende week")),
            ("custom", _("Zelf kiezen")),
        ],
        required=False,
    )
    snooze_until = forms.DateTimeField(
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def until(self, *, now: dt.datetime, opens_at: dt.time) -> dt.datetime | None:
        """The moment a snooze ends, in the current (shop) time zone."""
        choice = self.cleaned_data.get("snooze")
        local = timezone.localtime(now)
        morning = dt.datetime.combine(local.date(), opens_at, tzinfo=local.tzinfo)
        if choice == "later":
            return now + dt.timedelta(hours=3)
        if choice == "tomorrow":
            return morning + dt.timedelta(days=1)
        if choice == "next_week":
            return morning + dt.timedelta(days=7 - local.weekday())
        moment: dt.datetime | None = self.cleaned_data.get("snooze_until")
        return moment


class AssignForm(forms.Form):
    assignee = forms.CharField(required=False)  # an agent id, "me" or "" for nobody


class TeamForm(forms.Form):
    team = forms.TypedChoiceField(coerce=int, empty_value=None, required=False, choices=[])

    def __init__(self, data: Any, *, teams: list[Team]) -> None:
        super().__init__(data)
        set_choices(self, "team", [("", "—"), *((team.pk, team.name) for team in teams)])


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(choices=Priority.choices)


class TagsForm(forms.Form):
    add = forms.CharField(max_length=200, required=False)  # comma-separated names
    remove = forms.CharField(max_length=50, required=False)

    def names_to_add(self) -> list[str]:
        return [
            name.strip() for name in self.cleaned_data.get("add", "").split(",") if name.strip()
        ]


class MergeForm(forms.Form):
    target = forms.CharField(label=_("Samenvoegen met (referentie)"), max_length=20)
