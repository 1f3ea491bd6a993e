"""`SearchIndex`: a shop's articles analysed once, in memory, searched by BM25F.

Built from plain `Document`s (the models that store articles come separately), so the help
center's search-as-you-type and the offline assistant rank the same way. Each article is read in
its own locale's language. A query is read in the locale given, else in the language detected
when that is clear (`languages.detect`), else in every language the index holds; its words
become clauses (`query`) whose best ways of matching add up per article. A small popularity prior
then favours the article more shoppers needed, and ties go to the smaller id, so the same query
on the same index always ranks the same.

Per term the index keeps each article's *impact* (`bm25.impact`): a search only looks up and
adds, so its cost grows with how many articles contain the query's terms, not with their text.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from balie.knowledge.analysis import languages, terms, tokens
from balie.knowledge.ranking import bm25, query
from balie.knowledge.ranking.documents import Document, Hit, language_of
from balie.knowledge.ranking.vocabulary import Vocabulary

POPULARITY_WEIGHT = 0.1
MIN_DETECTION_CONFIDENCE = 0.5
MAX_LIMIT = 100


@dataclass(frozen=True, slots=True)
class QueryStats:
    clauses: int
    matched_clauses: int

    @property
    def known_share(self) -> float:
        return self.matched_clauses / self.clauses if self.clauses else 0.0


class SearchIndex:
    """An immutable index over documents; build a new one when the articles change.
    `vocabulary` is what it knows of its words, which queries are expanded against."""

    def __init__(
        self,
        documents: Iterable[Document],
        *,
        synonyms: Iterable[Iterable[str]] = (),
        lexicon: Mapping[str, Iterable[Iterable[str]]] | None = None,
    ) -> None:
        """`synonyms`: the shop's own groups, in every language; `lexicon`: groups per
        language (`analysis.lexicon.groups`, the built-in ones)."""
        self._ids: list[str] = []
        self._languages: list[str] = []
        self._popularity: list[float] = []
        fields: list[dict[str, dict[str, int]]] = []
        lengths: list[dict[str, int]] = []
        word_frequencies: Counter[str] = Counter()
        words_by_language: dict[str, set[str]] = {}
        headline_words: set[str] = set()
        analysers: dict[str, _Analyser] = {}
        for document in documents:
            language = language_of(document.locale)
            analyser = analysers.get(language)
            if analyser is None:
                analyser = analysers[language] = _Analyser(language)
            counts, sizes, words, headline = analyser.analyse(document)
            headline_words |= headline
            self._ids.append(document.id)
            self._languages.append(language)
            self._popularity.append(_clamped(document.popularity))
            fields.append(counts)
            lengths.append(sizes)
            word_frequencies.update(words)
            words_by_language.setdefault(language, set()).update(words)
        self._postings = _postings(fields, lengths)
        self._idf = {
            term: bm25.idf(len(postings), len(self._ids))
            for term, postings in self._postings.items()
        }
        self._unseen_idf = bm25.idf(0, len(self._ids))
        for term, postings in self._postings.items():
            term_idf = self._idf[term]
            self._postings[term] = {
                index: bm25.impact(frequency, term_idf) for index, frequency in postings.items()
            }
        word_terms = _word_terms(words_by_language)
        # Compounds split into the index's words and into its stems ("verzend" of verzending).
        splittable = {
            language: words | {term for word in words for term in word_terms.get(word, ())}
            for language, words in words_by_language.items()
        }
        self.vocabulary = Vocabulary(
            word_frequencies={word: word_frequencies[word] for word in word_terms},
            word_terms=word_terms,
            headline_words=headline_words,
            terms=self._postings,
            words_by_language=splittable,
            synonym_groups=synonyms,
            lexicon=lexicon,
        )

    def __len__(self) -> int:
        return len(self._ids)

    def search(self, text: str, *, locale: str | None = None, limit: int = 10) -> list[Hit]:
        """The best `limit` articles for the query (at most `MAX_LIMIT`), best first; only
        articles in the locale's language when a locale is given."""
        return self.search_with_stats(text, locale=locale, limit=limit)[0]

    def search_with_stats(
        self, text: str, *, locale: str | None = None, limit: int = 10
    ) -> tuple[list[Hit], QueryStats]:
        """`search`, and how much of the query the index knows: its clauses (words that are
        not stopwords) and how many of those match any article at all. "wat is de hoofdstad
        van frankrijk" has words no article holds; the assistant reads that as a sign of a
        question outside the knowledge base."""
        language = language_of(locale) if locale else None
        clauses = query.parse(text, self._query_languages(text, language), self.vocabulary)
        totals: dict[int, float] = {}
        ideal = 0.0
        matched = 0
        for clause in clauses:
            ideal += self._ideal(clause)
            scores = self._clause_scores(clause)
            matched += bool(scores)
            for document_index, score in scores.items():
                totals[document_index] = totals.get(document_index, 0.0) + score
        candidates = (
            (score * (1 + POPULARITY_WEIGHT * self._popularity[index]), index)
            for index, score in totals.items()
            if language is None or self._languages[index] == language
        )
        best = heapq.nsmallest(
            max(0, min(limit, MAX_LIMIT)),
            candidates,
            key=lambda candidate: (-candidate[0], self._ids[candidate[1]]),
        )
        ceiling = ideal * (1 + POPULARITY_WEIGHT)
        hits = [
            Hit(
                id=self._ids[index],
                score=score,
                normalised_score=min(1.0, score / ceiling) if ceiling else 0.0,
                matched_terms=self._matched_terms(clauses, index),
            )
            for score, index in best
        ]
        return hits, QueryStats(clauses=len(clauses), matched_clauses=matched)

    def _query_languages(self, text: str, language: str | None) -> list[str]:
        """The locale's language; else the index's only one; else the detected one when it
        is clear and the index has it (a Dutch question read as German would stem wrongly
        and find nothing); else all of the index's languages."""
        if language is not None:
            return [language]
        held = sorted(set(self._languages))
        if len(held) == 1:
            return held
        detection = languages.detect(text)
        if detection.confidence >= MIN_DETECTION_CONFIDENCE and detection.language in held:
            return [detection.language]
        return held

    def _clause_scores(self, clause: query.Clause) -> dict[int, float]:
        best = self._best_of(clause.alternatives)
        for compound in clause.compounds:
            summed: dict[int, float] = {}
            for part in compound.parts:
                for document_index, score in self._best_of(part).items():
                    summed[document_index] = summed.get(document_index, 0.0) + score
            share = compound.weight / len(compound.parts)
            for document_index, score in summed.items():
                if score * share > best.get(document_index, 0.0):
                    best[document_index] = score * share
        return best

    def _best_of(self, alternatives: Iterable[query.Alternative]) -> dict[int, float]:
        """Per article, the best weighted impact among the alternatives."""
        best: dict[int, float] = {}
        for alternative in alternatives:
            postings = self._postings.get(alternative.term)
            if not postings:
                continue
            weight = alternative.weight
            if not best:
                best = {index: weight * impact for index, impact in postings.items()}
                continue
            for index, impact in postings.items():
                score = weight * impact
                if score > best.get(index, 0.0):
                    best[index] = score
        return best

    def _ideal(self, clause: query.Clause) -> float:
        """The most a clause could add: its best way's weight times that term's rarity; a
        word the index has never seen counts as the rarest, so the unknown lowers confidence."""
        ways = [
            alternative.weight * self._idf.get(alternative.term, self._unseen_idf)
            for alternative in clause.alternatives
        ]
        ways += [
            compound.weight
            * sum(
                max(
                    alternative.weight * self._idf.get(alternative.term, 0.0)
                    for alternative in part
                )
                for part in compound.parts
            )
            / len(compound.parts)
            for compound in clause.compounds
        ]
        return max(ways, default=0.0)

    def _matched_terms(self, clauses: list[query.Clause], index: int) -> tuple[str, ...]:
        found = {
            term
            for clause in clauses
            for term in clause.terms()
            if index in self._postings.get(term, ())
        }
        return tuple(sorted(found))


class _Analyser:
    """Reads articles of one language, remembering each raw word's forms and terms: the
    distinct words of 5,000 articles are a few tens of thousands, their occurrences millions."""

    def __init__(self, language: str) -> None:
        self.language = language
        self._known: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}

    def analyse(
        self, document: Document
    ) -> tuple[dict[str, dict[str, int]], dict[str, int], set[str], set[str]]:
        """Per field the term counts and the number of words that became terms; the
        article's distinct words (every form), and those of its title, topic, tags and
        questions."""
        texts = {
            "title": document.title,
            "topic": document.topic,
            "tags": "\n".join(document.tags),
            "questions": "\n".join(document.questions),
            "body": document.body,
        }
        counts: dict[str, dict[str, int]] = {}
        sizes: dict[str, int] = {}
        words: set[str] = set()
        headline: set[str] = set()
        for field, text in texts.items():
            counter: dict[str, int] = {}
            size = 0
            seen = words if field == "body" else headline
            for raw, count in tokens.raw_word_counts(text).items():
                word_forms, word_terms = self._known.get(raw) or self._learn(raw)
                if word_terms:
                    size += count
                    seen.update(word_forms)
                    for term in word_terms:
                        counter[term] = counter.get(term, 0) + count
            counts[field] = counter
            sizes[field] = size
        return counts, sizes, words | headline, headline

    def _learn(self, raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        word_forms = tokens.forms(raw)
        known = (word_forms, terms.word_terms(word_forms, self.language) if word_forms else ())
        self._known[raw] = known
        return known


def _postings(
    fields: list[dict[str, dict[str, int]]], lengths: list[dict[str, int]]
) -> dict[str, dict[int, float]]:
    """Per term, each article's BM25F weighted frequency (turned into impacts by the caller)."""
    averages = {
        field: sum(sizes[field] for sizes in lengths) / max(1, len(lengths))
        for field in bm25.FIELD_BOOSTS
    }
    postings: dict[str, dict[int, float]] = {}
    for index, (counts, sizes) in enumerate(zip(fields, lengths, strict=True)):
        weighted: dict[str, float] = {}
        for field, counter in counts.items():
            scale = bm25.field_scale(field, sizes[field], averages[field])
            for term, frequency in counter.items():
                weighted[term] = weighted.get(term, 0.0) + scale * frequency
        for term, weighted_frequency in weighted.items():
            postings.setdefault(term, {})[index] = weighted_frequency
    return postings


def _word_terms(words_by_language: dict[str, set[str]]) -> dict[str, tuple[str, ...]]:
    """Each known word to the terms it became, over the languages it occurs in."""
    found: dict[str, dict[str, None]] = {}
    for language, words in words_by_language.items():
        for word in words:
            for term in terms.word_terms((word,), language):
                found.setdefault(word, {})[term] = None
    return {word: tuple(word_terms) for word, word_terms in found.items()}


def _clamped(popularity: float) -> float:
    """Popularity comes from counters outside; NaN or out of range must not skew ranking."""
    if math.isnan(popularity):
        return 0.0
    return min(1.0, max(0.0, popularity))
