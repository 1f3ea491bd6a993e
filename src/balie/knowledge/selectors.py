"""Reads for the knowledge base; every one takes the shop."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from balie.knowledge.models import (
    Article,
    ArticleAttachment,
    ArticleStatus,
    ArticleTranslation,
    ArticleVersion,
    Placement,
    Topic,
)
from balie.tenancy.models import Shop

FAQ_LIMIT = 5


def topic_list(*, shop: Shop) -> QuerySet[Topic]:
    return Topic.objects.for_shop(shop)


def access_topic(*, shop: Shop, slug: str) -> Topic:
    topic: Topic | None = Topic.objects.for_shop(shop).filter(slug=slug).first()
    if topic is None:
        raise Http404("no such topic")
    return topic


def article_list(
    *, shop: Shop, locale: str = "", topic: str = "", status: str = "", key: str = ""
) -> QuerySet[Article]:
    articles = Article.objects.for_shop(shop).select_related("topic")
    if topic:
        articles = articles.filter(topic__slug=topic)
    if key:
        articles = articles.filter(key=key)
    translations = ArticleTranslation.objects.order_by("locale")
    if locale:
        translations = translations.filter(locale=locale)
        articles = articles.filter(translations__locale=locale)
    if status:
        translations = translations.filter(status=status)
        articles = articles.filter(translations__status=status)
    return articles.distinct().prefetch_related(
        Prefetch("translations", queryset=translations),
        Prefetch("related", queryset=Article.objects.only("id", "key")),
        "placements",
    )


def access_article(*, shop: Shop, key: str) -> Article:
    article = article_list(shop=shop, key=key).first()
    if article is None:
        raise Http404("no such article")
    return article


def access_translation(*, shop: Shop, key: str, locale: str) -> ArticleTranslation:
    translation: ArticleTranslation | None = (
        ArticleTranslation.objects.for_shop(shop)
        .select_related("article__topic")
        .filter(article__key=key, locale=locale)
        .first()
    )
    if translation is None:
        raise Http404("no such translation")
    return translation


def published_translations(*, shop: Shop, locale: str) -> QuerySet[ArticleTranslation]:
    """What the help center lists in a language: published, not internal."""
    return (
        ArticleTranslation.objects.for_shop(shop)
        .filter(status=ArticleStatus.PUBLISHED, locale=locale, article__is_internal=False)
        .select_related("article__topic")
    )


def published_in_language(*, shop: Shop, language: str) -> QuerySet[ArticleTranslation]:
    """What the help center lists on a page in `language` ("en"): the published, public
    translations in that language and its regional variants ("en-US" from a Zendesk import)."""
    language = language.split("-", 1)[0]
    return (
        ArticleTranslation.objects.for_shop(shop)
        .filter(status=ArticleStatus.PUBLISHED, article__is_internal=False)
        .filter(Q(locale=language) | Q(locale__startswith=f"{language}-"))
        .select_related("article__topic")
    )


def published_translations_all(*, shop: Shop) -> QuerySet[ArticleTranslation]:
    """Every published, public translation in every language (the sitemap)."""
    return ArticleTranslation.objects.for_shop(shop).filter(
        status=ArticleStatus.PUBLISHED, article__is_internal=False
    )


def public_translation(*, shop: Shop, locale: str, slug: str) -> ArticleTranslation:
    found = published_translations(shop=shop, locale=locale).filter(slug=slug).first()
    if found is None:
        raise Http404("no such article")
    return found


def version_list(*, shop: Shop, translation: ArticleTranslation) -> QuerySet[ArticleVersion]:
    return (
        ArticleVersion.objects.for_shop(shop)
        .filter(translation=translation)
        .select_related("author__user")
    )


def access_version(*, shop: Shop, translation: ArticleTranslation, number: int) -> ArticleVersion:
    version = version_list(shop=shop, translation=translation).filter(number=number).first()
    if version is None:
        raise Http404("no such version")
    return version


def access_attachment(*, shop: Shop, attachment_id: int, public: bool) -> ArticleAttachment:
    """An article's file; `public`: only of an article shoppers may read (not internal, with a
    published translation), as the help center links them."""
    attachments = ArticleAttachment.objects.for_shop(shop).filter(pk=attachment_id)
    if public:
        attachments = attachments.filter(
            article__is_internal=False, article__translations__status=ArticleStatus.PUBLISHED
        )
    found: ArticleAttachment | None = attachments.select_related("article").first()
    if found is None:
        raise Http404("no such attachment")
    return found


@dataclass(frozen=True)
class Page:
    """The page a shopper is on, as the shop's site or widget describes it."""

    url: str = ""
    page_type: str = ""
    category: str = ""


def faq_for_page(
    *, shop: Shop, page: Page, locale: str, limit: int = FAQ_LIMIT
) -> list[ArticleTranslation]:
    """The published questions placed on this page, most specific rule first: a matching
    address pattern (longer patterns first), then the product category, then the kind of
    page; each article once, in the shopper's language where it has one, else the shop's."""
    path = (urlsplit(page.url).path or "/") if page.url else ""
    ranked: dict[int, tuple[int, int, int]] = {}
    placements = Placement.objects.for_shop(shop).filter(article__is_internal=False)
    for placement in placements.only(
        "article_id", "url_pattern", "page_type", "category", "position"
    ):
        if placement.url_pattern:
            if not path or not fnmatch.fnmatchcase(path, placement.url_pattern):
                continue
            rank = (0, -len(placement.url_pattern), placement.position)
        elif placement.category:
            if placement.category.casefold() != page.category.strip().casefold():
                continue
            rank = (1, 0, placement.position)
        elif placement.page_type and placement.page_type == page.page_type:
            rank = (2, 0, placement.position)
        else:
            continue
        previous = ranked.get(placement.article_id)
        ranked[placement.article_id] = min(rank, previous) if previous else rank
    if not ranked:
        return []
    translations = published_translations_any_locale(shop=shop, article_ids=list(ranked))
    chosen: dict[int, ArticleTranslation] = {}
    for translation in translations:
        current = chosen.get(translation.article_id)
        if current is None or _prefer(translation, current, locale, shop.default_locale):
            chosen[translation.article_id] = translation
    ordered = sorted(chosen.values(), key=lambda t: (ranked[t.article_id], t.article.key))
    return ordered[: max(0, limit)]


def published_translations_any_locale(
    *, shop: Shop, article_ids: list[int]
) -> QuerySet[ArticleTranslation]:
    return (
        ArticleTranslation.objects.for_shop(shop)
        .filter(status=ArticleStatus.PUBLISHED, article_id__in=article_ids)
        .filter(article__is_internal=False)
        .select_related("article__topic")
    )


def _prefer(
    candidate: ArticleTranslation, current: ArticleTranslation, locale: str, fallback: str
) -> bool:
    def score(translation: ArticleTranslation) -> int:
        if translation.locale == locale:
            return 0
        if translation.locale.split("-")[0] == locale.split("-")[0]:
            return 1
        return 2 if translation.locale == fallback else 3

    return score(candidate) < score(current)
