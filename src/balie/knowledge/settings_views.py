"""The knowledge base's settings (/app/instellingen/kennisbank/, owners and admins): the
shop's own synonyms and the confidence from which the assistant answers by itself."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from balie.core.errors import DomainError
from balie.knowledge.models import DEFAULT_ANSWER_THRESHOLD, KnowledgeSettings
from balie.knowledge.services import knowledge_settings_update
from balie.tenancy.current import agent_required, request_membership
from balie.tenancy.models import Role


class KnowledgeSettingsForm(forms.Form):
    synonyms = forms.CharField(
        label=gettext_lazy("Synoniemen"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy(
            "Eén groep per regel, met komma's: terugsturen, retourneren, retour. Balie kent "
            "de gewone woorden van webwinkels al; zet hier de woorden van je eigen winkel."
        ),
    )
    answer_threshold = forms.IntegerField(
        label=gettext_lazy("Zekerheid voor een antwoord (%)"),
        min_value=0,
        max_value=100,
        help_text=gettext_lazy(
            "Hoger: de assistent antwoordt minder vaak zelf en geeft vaker door aan een "
            "collega. Standaard 50."
        ),
    )


@agent_required(Role.ADMIN)
def knowledge_settings(request: HttpRequest) -> HttpResponse:
    shop = request_membership(request).shop
    current = KnowledgeSettings.objects.filter(shop=shop).first()
    initial = {
        "synonyms": current.synonyms if current else "",
        "answer_threshold": round(
            100 * (current.answer_threshold if current else DEFAULT_ANSWER_THRESHOLD)
        ),
    }
    form = KnowledgeSettingsForm(request.POST or None, initial=initial)
    if form.is_bound and form.is_valid():
        try:
            knowledge_settings_update(
                shop=shop,
                synonyms=form.cleaned_data["synonyms"],
                answer_threshold=form.cleaned_data["answer_threshold"] / 100,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("De instellingen van de kennisbank zijn opgeslagen."))
            return redirect("web:knowledge_settings")
    return render(request, "knowledge/settings.html", {"form": form})
