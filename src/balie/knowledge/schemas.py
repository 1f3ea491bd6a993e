from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import ConfigDict

from balie.api.fields import SingleLineText
from balie.knowledge.models import Article, ArticleStatus, ArticleTranslation

LOCALE_PATTERN = r"^[a-z]{2}(-[A-Z]{2})?$"


class TranslationOut(Schema):
    locale: str
    title: str
    slug: str
    body: str
    body_html: str
    tags: list[str]
    questions: list[str]
    status: str
    version: int
    published_at: dt.datetime | None
    view_count: int
    helpful_count: int
    unhelpful_count: int
    updated_at: dt.datetime


class ArticleOut(Schema):
    id: int
    key: str
    topic: str | None = Field(None, description="The topic's slug")
    is_internal: bool
    related: list[str] = Field(description="Keys of related articles")
    url_patterns: list[str]
    page_types: list[str]
    categories: list[str]
    translations: list[TranslationOut]

    # Read from an `Article` with its placements, related and translations prefetched
    # (`selectors.article_list`).
    @staticmethod
    def resolve_topic(article: Article) -> str | None:
        return article.topic.slug if article.topic else None

    @staticmethod
    def resolve_related(article: Article) -> list[str]:
        return sorted(other.key for other in article.related.all())

    @staticmethod
    def resolve_url_patterns(article: Article) -> list[str]:
        return [p.url_pattern for p in article.placements.all() if p.url_pattern]

    @staticmethod
    def resolve_page_types(article: Article) -> list[str]:
        return [p.page_type for p in article.placements.all() if p.page_type]

    @staticmethod
    def resolve_categories(article: Article) -> list[str]:
        return [p.category for p in article.placements.all() if p.category]

    @staticmethod
    def resolve_translations(article: Article) -> list[ArticleTranslation]:
        return list(article.translations.all())


class TranslationIn(Schema):
    """One language of an article; the article is created with its first translation."""

    model_config = ConfigDict(extra="forbid")

    title: SingleLineText = Field(max_length=200)
    body: str = Field("", max_length=100_000, description="Markdown; rendered and sanitised")
    topic: SingleLineText = Field("", max_length=60, description="A topic slug; made when new")
    tags: list[SingleLineText] = Field(default_factory=list, max_length=20)
    questions: list[SingleLineText] = Field(default_factory=list, max_length=30)
    status: ArticleStatus = ArticleStatus.DRAFT
    is_internal: bool | None = None
    slug: SingleLineText = Field("", max_length=120)


class ArticleCreateIn(TranslationIn):
    """A new article with its first translation."""

    key: SingleLineText = Field(
        max_length=80, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", description="Stable, per shop"
    )
    locale: SingleLineText = Field("nl", pattern=LOCALE_PATTERN)


class VersionOut(Schema):
    number: int
    title: str
    body: str
    tags: list[str]
    questions: list[str]
    status: str
    note: str
    created_at: dt.datetime


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    problems: list[str] = Field(description="Lines not imported (with valid_only), by number")


class SearchHitOut(Schema):
    article_id: int
    key: str
    locale: str
    title: str
    slug: str
    topic: str
    snippet: str
    score: float


class FaqOut(Schema):
    article_id: int
    key: str
    locale: str
    title: str
    slug: str


class FeedbackIn(Schema):
    model_config = ConfigDict(extra="forbid")

    helpful: bool
    comment: str = Field("", max_length=2_000)


class PageQuery(Schema):
    page_url: SingleLineText = Field("", max_length=2_000)
    page_type: SingleLineText = Field("", max_length=20)
    category: SingleLineText = Field("", max_length=120)
    locale: SingleLineText = Field("nl", pattern=LOCALE_PATTERN)
