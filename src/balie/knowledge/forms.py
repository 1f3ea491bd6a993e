"""The knowledge base's editing form for agents. It checks what the browser sent; the
services decide what is valid (`services.article_input_problems`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from balie.knowledge.models import ArticleStatus, ArticleTranslation, PageType, Topic
from balie.web.settings_fields import set_choices

NEW_TOPIC = "__new__"


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.replace(",", "\n").splitlines() if line.strip()]


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    key = forms.SlugField(
        label=_("Sleutel"),
        max_length=80,
        required=False,
        help_text=_("Leeg laten: Balie maakt er een van de titel."),
    )
    locale = forms.ChoiceField(label=_("Taal"))
    topic = forms.ChoiceField(label=_("Onderwerp"), required=False)
    new_topic = forms.CharField(label=_("Nieuw onderwerp"), max_length=60, required=False)
    body = forms.CharField(
        label=_("Tekst"),
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 16, "class": "mono"}),
        help_text=_("Markdown: **vet**, *schuin*, lijsten met - of 1., [link](https://…)."),
    )
    questions = forms.CharField(
        label=_("Ook gevraagd als"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Eén vraag per regel, zoals klanten het vragen. De assistent leert ervan."),
    )
    tags = forms.CharField(label=_("Trefwoorden"), required=False, help_text=_("Komma's ertussen."))
    status = forms.ChoiceField(label=_("Status"), choices=ArticleStatus.choices)
    is_internal = forms.BooleanField(label=_("Alleen voor medewerkers"), required=False)
    url_patterns = forms.CharField(
        label=_("Tonen op pagina's"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Adrespatronen, één per regel, bijvoorbeeld /afrekenen* of /p/*."),
    )
    page_types = forms.MultipleChoiceField(
        label=_("Tonen op soort pagina"),
        required=False,
        choices=PageType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.CharField(
        label=_("Tonen bij productcategorieën"), required=False, help_text=_("Komma's ertussen.")
    )
    related = forms.CharField(
        label=_("Gerelateerde artikelen"),
        required=False,
        help_text=_("Sleutels, komma's ertussen."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        topics: list[Topic],
        locales: list[tuple[str, str]],
        translation: ArticleTranslation | None,
        preview_url: str,
    ) -> None:
        initial: dict[str, Any] = {"status": ArticleStatus.DRAFT, "locale": locales[0][0]}
        if translation is not None:
            article = translation.article
            placements = list(article.placements.all())
            initial = {
                "title": translation.title,
                "key": article.key,
                "locale": translation.locale,
                "topic": article.topic.slug if article.topic else "",
                "body": translation.body,
                "questions": "\n".join(translation.questions),
                "tags": ", ".join(translation.tags),
                "status": translation.status,
                "is_internal": article.is_internal,
                "url_patterns": "\n".join(p.url_pattern for p in placements if p.url_pattern),
                "page_types": [p.page_type for p in placements if p.page_type],
                "categories": ", ".join(p.category for p in placements if p.category),
                "related": ", ".join(sorted(other.key for other in article.related.all())),
            }
        super().__init__(data, initial=initial)
        set_choices(self, "locale", locales)
        set_choices(
            self,
            "topic",
            [("", _("Geen")), *((t.slug, t.name) for t in topics), (NEW_TOPIC, _("Nieuw…"))],
        )
        self.fields["body"].widget.attrs.update(
            {
                "hx-post": preview_url,
                "hx-trigger": "input changed delay:400ms",
                "hx-target": "#article-preview",
                "hx-include": "closest form",
                "hx-swap": "innerHTML",
            }
        )
        if translation is not None:
            self.fields["key"].disabled = True
            self.fields["locale"].disabled = True

    def topic_slug(self) -> str:
        if self.cleaned_data["topic"] == NEW_TOPIC:
            return str(self.cleaned_data["new_topic"]).strip()
        return str(self.cleaned_data["topic"])

    def list_of(self, name: str) -> list[str]:
        return _lines(str(self.cleaned_data.get(name) or ""))

    def question_lines(self) -> list[str]:
        value = str(self.cleaned_data.get("questions") or "")
        return [line.strip() for line in value.splitlines() if line.strip()]
