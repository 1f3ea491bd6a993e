"""Finding the articles a question is about, and the evidence for how sure that is.

The question is read in its own language when that is clear (a shopper on the Dutch site may
ask in English), else in the page's locale, else in the shop's language. Hits are per
translation; each article counts once, shown in the reader's language where it has one.
"""

from __future__ import annotations

from dataclasses import dataclass

from balie.knowledge.analysis import languages
from balie.knowledge.index import Entry, ShopIndex
from balie.knowledge.ranking.documents import language_of

CANDIDATES = 5
SEARCH_LIMIT = 12
MIN_DETECTION_CONFIDENCE = 0.5
# How the three ways of matching add up (chosen on the evaluation's dev split): the article as
# a whole (BM25F), its best single phrasing by words, and by letter sequences.
ARTICLE_WEIGHT = 0.4
PHRASE_WEIGHT = 0.1
LETTERS_WEIGHT = 0.5


@dataclass(frozen=True, slots=True)
class Candidate:
    entry: Entry
    score: float  # the hit's normalised score, 0..1


@dataclass(frozen=True, slots=True)
class Features:
    """What the confidence is computed from (see `confidence`)."""

    top_score: float
    margin: float  # top score minus the next article's
    known_share: float  # share of the question's words that any article holds
    clauses: int  # words that are not stopwords
    letters_top: float = 0.0  # the closest phrasing of any article by letter sequences


@dataclass(frozen=True, slots=True)
class Retrieval:
    language: str
    candidates: list[Candidate]
    features: Features


def reading_language(question: str, *, locale: str, default: str) -> str:
    detection = languages.detect(question)
    if detection.language and detection.confidence >= MIN_DETECTION_CONFIDENCE:
        return detection.language
    return language_of(locale or default)


def retrieve(index: ShopIndex, question: str, *, locale: str, default: str) -> Retrieval:
    """The closest articles: per article, its best translation's scores blended (the
    weights above), best first."""
    language = reading_language(question, locale=locale, default=default)
    scores: dict[int, float] = {}
    entries: dict[int, Entry] = {}
    articles, stats = index.search_with_stats(question, limit=SEARCH_LIMIT)
    for found in articles:
        article_id = found.entry.article_id
        score = ARTICLE_WEIGHT * found.hit.normalised_score
        if score > scores.get(article_id, -1.0):
            scores[article_id] = score
            entries.setdefault(article_id, found.entry)
    letters = index.search_letters(question)
    for weight, hits in (
        (PHRASE_WEIGHT, index.search_phrases(question)),
        (LETTERS_WEIGHT, letters),
    ):
        best: dict[int, float] = {}
        for phrase in hits:
            article_id = phrase.entry.article_id
            if phrase.score > best.get(article_id, 0.0):
                best[article_id] = phrase.score
                entries.setdefault(article_id, phrase.entry)
        for article_id, score in best.items():
            scores[article_id] = scores.get(article_id, 0.0) + weight * score
    ranked = sorted(scores.items(), key=lambda item: (-item[1], entries[item[0]].key))
    candidates = [
        Candidate(entry=index.translation(article_id, language) or entries[article_id], score=score)
        for article_id, score in ranked[:CANDIDATES]
    ]
    top = candidates[0].score if candidates else 0.0
    second = candidates[1].score if len(candidates) > 1 else 0.0
    return Retrieval(
        language=language,
        candidates=candidates,
        features=Features(
            top_score=top,
            margin=top - second,
            known_share=stats.known_share,
            clauses=stats.clauses,
            letters_top=max((hit.score for hit in letters), default=0.0),
        ),
    )
