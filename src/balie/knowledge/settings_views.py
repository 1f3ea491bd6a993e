"""The knowledge base's settings (/app/instellingen/kennisbank/, owners and admins): the
shop's own synonyms and the confidence from which the assistant answers by itself."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from balie.core.errors import DomainError
from balie.knowledge import selectors, services
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


class TopicForm(forms.Form):
    slug = forms.SlugField(label=gettext_lazy("Korte naam"), max_length=60)
    name = forms.CharField(label=gettext_lazy("Naam"), max_length=80)
    name_en = forms.CharField(
        label=gettext_lazy("Naam in het Engels"), max_length=80, required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Omschrijving"), max_length=200, required=False
    )
    position = forms.IntegerField(label=gettext_lazy("Volgorde"), min_value=0, max_value=999)


@require_POST
@agent_required(Role.ADMIN)
def topic_save(request: HttpRequest) -> HttpResponse:
    """Add a topic or change one (by its short name): the help center's sections."""
    shop = request_membership(request).shop
    form = TopicForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        services.topic_save(
            shop=shop,
            slug=data["slug"],
            name=data["name"],
            names={"en": data["name_en"]} if data["name_en"] else {},
            description=data["description"],
            position=data["position"],
        )
        messages.success(
            request, _("Het onderwerp %(name)s is opgeslagen.") % {"name": data["name"]}
        )
    else:
        messages.error(
            request, _("Het onderwerp is niet opgeslagen: vul een naam en korte naam in.")
        )
    return redirect("web:knowledge_settings")


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
    topics = [
        TopicForm(
            initial={
                "slug": topic.slug,
                "name": topic.name,
                "name_en": topic.names.get("en", "") if isinstance(topic.names, dict) else "",
                "description": topic.description,
                "position": topic.position,
            },
            auto_id=f"topic-{topic.pk}-%s",  # one form per row: names plain, ids unique
        )
        for topic in selectors.topic_list(shop=shop)
    ]
    new_topic = TopicForm(initial={"position": len(topics)}, auto_id="topic-new-%s")
    return render(
        request,
        "knowledge/settings.html",
        {"form": form, "topics": topics, "new_topic": new_topic},
    )
