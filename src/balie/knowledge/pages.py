"""Reads shaped for the public help center: topics, popular questions, an article with its
languages and related articles, and the schema.org JSON-LD search engines read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.html import strip_tags

from balie.knowledge import markdown, selectors
from balie.knowledge.models import ArticleAttachment, ArticleStatus, ArticleTranslation, Topic
from balie.tenancy.models import Shop

POPULAR = 6
ANSWER_CHARS = 600


@dataclass(frozen=True)
class TopicCard:
    topic: Topic
    name: str
    count: int


@dataclass(frozen=True)
class ArticlePage:
    translation: ArticleTranslation
    alternates: dict[str, str]  # locale -> slug of the same article's published translations
    related: list[ArticleTranslation]
    attachments: list[ArticleAttachment]
    topic_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def topic_cards(*, shop: Shop, locale: str) -> list[TopicCard]:
    language = locale.split("-", 1)[0]
    published = Q(
        articles__translations__status=ArticleStatus.PUBLISHED,
        articles__is_internal=False,
    ) & (
        Q(articles__translations__locale=language)
        | Q(articles__translations__locale__startswith=f"{language}-")
    )
    topics = selectors.topic_list(shop=shop).annotate(
        published=Count("articles", filter=published, distinct=True)
    )
    return [
        TopicCard(topic=topic, name=topic.name_in(locale), count=topic.published)
        for topic in topics
        if topic.published
    ]


def popular(*, shop: Shop, locale: str, limit: int = POPULAR) -> list[ArticleTranslation]:
    """The most read questions, then the most helpful, then by position."""
    return list(
        selectors.published_in_language(shop=shop, language=locale).order_by(
            "-view_count", "-helpful_count", "article__position", "article__key"
        )[:limit]
    )


def topic_articles(*, shop: Shop, topic: Topic, locale: str) -> list[ArticleTranslation]:
    return list(
        selectors.published_in_language(shop=shop, language=locale)
        .filter(article__topic=topic)
        .order_by("article__position", "title")
    )


def article_page(*, shop: Shop, locale: str, slug: str) -> ArticlePage:
    translation = selectors.public_translation(shop=shop, locale=locale, slug=slug)
    article = translation.article
    siblings = (
        ArticleTranslation.objects.for_shop(shop)
        .filter(article=article, status=ArticleStatus.PUBLISHED)
        .values_list("locale", "slug")
    )
    related = list(
        selectors.published_in_language(shop=shop, language=locale)
        .filter(article__in=article.related.all())
        .order_by("article__position", "title")
    )
    return ArticlePage(
        translation=translation,
        alternates=dict(siblings),
        related=related,
        attachments=list(article.attachments.all()),
        topic_name=article.topic.name_in(locale) if article.topic else "",
    )


def article_json_ld(page: ArticlePage, *, url: str, publisher: str) -> str:
    translation = page.translation
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": translation.title[:110],
        "inLanguage": translation.locale,
        "url": url,
        "datePublished": (translation.published_at or translation.created_at).isoformat(),
        "dateModified": translation.updated_at.isoformat(),
        "author": {"@type": "Organization", "name": publisher},
        "publisher": {"@type": "Organization", "name": publisher},
        "articleBody": _answer(translation),
    }
    return _script_safe(data)


def faq_json_ld(translations: list[ArticleTranslation], *, urls: dict[int, str]) -> str:
    """FAQPage for a list of questions, each answered with the start of its article."""
    data = {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": translation.title,
                "url": urls.get(translation.pk, ""),
                "acceptedAnswer": {"@type": "Answer", "text": _answer(translation)},
            }
            for translation in translations
        ],
    }
    return _script_safe(data)


def _answer(translation: ArticleTranslation) -> str:
    text = " ".join(markdown.plain_text(translation.body).split())
    return text[:ANSWER_CHARS] or strip_tags(translation.title)


def _script_safe(data: dict[str, Any]) -> str:
    """JSON for inside <script type="application/ld+json">: "</script>" or "<!--" in an
    article cannot end the script element."""
    return (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
