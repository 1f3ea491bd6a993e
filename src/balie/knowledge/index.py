"""Each process's search index of a shop's articles, built from the database when stale.

One path for SQLite and PostgreSQL: the index is `ranking.SearchIndex` in memory (Dutch
compounds, typos and synonyms need more than either database's full text offers, and a
shop's knowledge base is thousands of articles, not millions). Each process keeps the indexes
it used last; before a search it reads the shop's `KnowledgeSettings.index_version` (one
indexed read) and rebuilds when another process changed the articles since, or when its
index is older than `BALIE_KB_INDEX_MAX_AGE_SECONDS` (so views and votes reach the ranking).

Two audiences: shoppers (published, not internal) and agents (published, internal too).
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings

from balie.knowledge import markdown
from balie.knowledge.analysis import lexicon
from balie.knowledge.models import ArticleStatus, ArticleTranslation, KnowledgeSettings
from balie.knowledge.ranking.chargrams import CharGramIndex
from balie.knowledge.ranking.documents import Document, Hit
from balie.knowledge.ranking.index import QueryStats, SearchIndex
from balie.tenancy.models import Shop

CACHED_INDEXES = 64
SNIPPET_CHARS = 220


class Audience(StrEnum):
    SHOPPERS = "shoppers"
    AGENTS = "agents"


@dataclass(frozen=True, slots=True)
class Entry:
    """What a hit points at: one published translation."""

    translation_id: int
    article_id: int
    key: str
    locale: str
    title: str
    slug: str
    topic_slug: str
    topic_name: str
    snippet: str
    is_internal: bool


@dataclass(frozen=True, slots=True)
class Found:
    entry: Entry
    hit: Hit


@dataclass(frozen=True, slots=True)
class PhraseHit:
    entry: Entry
    score: float  # normalised, of the best matching phrase of the translation


class ShopIndex:
    def __init__(
        self,
        *,
        version: int,
        entries: list[Entry],
        index: SearchIndex,
        phrases: list[Document] | None = None,
        synonyms: list[list[str]] | None = None,
    ) -> None:
        self.version = version
        self.built_at = time.monotonic()
        self._index = index
        self._phrase_documents = phrases or []
        self._synonyms = synonyms or []
        self._phrases: SearchIndex | None = None
        self._letters: CharGramIndex | None = None
        self._phrases_lock = threading.Lock()
        self.entries = {str(entry.translation_id): entry for entry in entries}
        self._by_article: dict[int, dict[str, Entry]] = {}
        for entry in entries:
            self._by_article.setdefault(entry.article_id, {})[entry.locale] = entry

    def __len__(self) -> int:
        return len(self.entries)

    def search(self, text: str, *, locale: str | None = None, limit: int = 10) -> list[Found]:
        return self.search_with_stats(text, locale=locale, limit=limit)[0]

    def search_with_stats(
        self, text: str, *, locale: str | None = None, limit: int = 10
    ) -> tuple[list[Found], QueryStats]:
        """`search` and `ranking.QueryStats` (how much of the question the articles know)."""
        hits, stats = self._index.search_with_stats(text, locale=locale, limit=limit)
        return [Found(entry=self.entries[hit.id], hit=hit) for hit in hits], stats

    def search_phrases(self, text: str, *, limit: int = 40) -> list[PhraseHit]:
        """Each translation's best match among its title and other ways to ask, taken one
        by one: a question close to one phrasing is not drowned by the article's length.
        That index is built on first use (the assistant's; the help center never needs it)."""
        phrases = self._phrases
        if phrases is None:
            with self._phrases_lock:
                if self._phrases is None:
                    self._phrases = SearchIndex(
                        self._phrase_documents,
                        synonyms=self._synonyms,
                        lexicon=lexicon.all_groups(),
                    )
                phrases = self._phrases
        return self._best_per_translation(
            (hit.id, hit.normalised_score) for hit in phrases.search(text, limit=limit)
        )

    def search_letters(self, text: str) -> list[PhraseHit]:
        """Each translation's best letter-sequence similarity among its title, other ways to
        ask and tags (`ranking.chargrams`); built on first use, like `search_phrases`."""
        letters = self._letters
        if letters is None:
            with self._phrases_lock:
                if self._letters is None:
                    self._letters = CharGramIndex(
                        (document.id, document.title) for document in self._phrase_documents
                    )
                letters = self._letters
        return self._best_per_translation(letters.similar(text).items())

    def _best_per_translation(self, scored: Iterable[tuple[str, float]]) -> list[PhraseHit]:
        """Phrase ids are "<translation id>:<number>": each translation's best phrase."""
        best: dict[str, float] = {}
        for phrase_id, score in scored:
            translation_id = phrase_id.split(":", 1)[0]
            if score > best.get(translation_id, 0.0):
                best[translation_id] = score
        return [PhraseHit(entry=self.entries[tid], score=score) for tid, score in best.items()]

    def translation(self, article_id: int, locale: str) -> Entry | None:
        """The article in this locale (or its language: nl-BE finds nl), if published."""
        translations = self._by_article.get(article_id, {})
        found = translations.get(locale)
        if found is None:
            language = locale.split("-", 1)[0]
            found = next(
                (entry for code, entry in translations.items() if code.split("-")[0] == language),
                None,
            )
        return found

    def locales(self) -> set[str]:
        return {entry.locale for entry in self.entries.values()}


_cache: OrderedDict[tuple[int, Audience], ShopIndex] = OrderedDict()
_cache_lock = threading.Lock()
_build_locks: dict[tuple[int, Audience], threading.Lock] = {}


def shop_index(*, shop: Shop, audience: Audience = Audience.SHOPPERS) -> ShopIndex:
    """The shop's current index for the audience, from this process's cache when fresh."""
    version = current_version(shop=shop)
    key = (shop.pk, audience)
    cached = _fresh(key, version)
    if cached is not None:
        return cached
    with _cache_lock:
        build_lock = _build_locks.setdefault(key, threading.Lock())
    # One build per shop at a time; requests arriving meanwhile wait for it, not build too.
    with build_lock:
        cached = _fresh(key, version)
        if cached is not None:
            return cached
        built = index_build(shop=shop, audience=audience, version=version)
        with _cache_lock:
            _cache[key] = built
            _cache.move_to_end(key)
            while len(_cache) > CACHED_INDEXES:
                _cache.popitem(last=False)
        return built


def current_version(*, shop: Shop) -> int:
    version = (
        KnowledgeSettings.objects.filter(shop=shop).values_list("index_version", flat=True).first()
    )
    return version or 0


def index_build(*, shop: Shop, audience: Audience, version: int) -> ShopIndex:
    """Read the shop's published translations and index them."""
    translations = (
        ArticleTranslation.objects.for_shop(shop)
        .filter(status=ArticleStatus.PUBLISHED)
        .select_related("article__topic")
        .order_by("pk")
    )
    if audience == Audience.SHOPPERS:
        translations = translations.filter(article__is_internal=False)
    rows = list(translations)
    most_viewed = max((row.view_count for row in rows), default=0)
    entries: list[Entry] = []
    documents: list[Document] = []
    for row in rows:
        topic = row.article.topic
        text = markdown.plain_text(row.body)
        entries.append(
            Entry(
                translation_id=row.pk,
                article_id=row.article_id,
                key=row.article.key,
                locale=row.locale,
                title=row.title,
                slug=row.slug,
                topic_slug=topic.slug if topic else "",
                topic_name=topic.name_in(row.locale) if topic else "",
                snippet=_snippet(text),
                is_internal=row.article.is_internal,
            )
        )
        documents.append(
            Document(
                id=str(row.pk),
                title=row.title,
                body=text,
                topic=topic.name_in(row.locale) if topic else "",
                tags=tuple(row.tags),
                questions=tuple(row.questions),
                locale=row.locale,
                popularity=popularity(
                    views=row.view_count,
                    most_views=most_viewed,
                    helpful=row.helpful_count,
                    unhelpful=row.unhelpful_count,
                ),
            )
        )
    knowledge_settings = KnowledgeSettings.objects.filter(shop=shop).first()
    synonyms = knowledge_settings.synonym_groups() if knowledge_settings else []
    phrases = [
        Document(id=f"{document.id}:{number}", title=phrase, locale=document.locale)
        for document in documents
        for number, phrase in enumerate((document.title, *document.questions, *document.tags))
    ]
    return ShopIndex(
        version=version,
        entries=entries,
        index=SearchIndex(documents, synonyms=synonyms, lexicon=lexicon.all_groups()),
        phrases=phrases,
        synonyms=synonyms,
    )


def popularity(*, views: int, most_views: int, helpful: int, unhelpful: int) -> float:
    """0..1: half how often it is read (log scale, against the shop's most read article),
    half how often it helped (votes smoothed towards neutral, so one vote moves little)."""
    read = math.log1p(views) / math.log1p(most_views) if most_views > 0 else 0.0
    helped = (helpful + 2) / (helpful + unhelpful + 4)
    return 0.5 * read + 0.5 * helped


def cache_clear() -> None:
    """Forget every cached index (tests; a process that wants its memory back)."""
    with _cache_lock:
        _cache.clear()


def _fresh(key: tuple[int, Audience], version: int) -> ShopIndex | None:
    with _cache_lock:
        cached = _cache.get(key)
        if cached is None or cached.version != version:
            return None
        if time.monotonic() - cached.built_at > settings.BALIE_KB_INDEX_MAX_AGE_SECONDS:
            return None
        _cache.move_to_end(key)
        return cached


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    if len(flat) <= SNIPPET_CHARS:
        return flat
    cut = flat[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut + "…"
