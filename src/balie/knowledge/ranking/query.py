"""A query as clauses: one per word typed, each a set of weighted ways to match it.

A clause scores an article by its best way (a disjunction, like a dis_max), so a word counts
once however many expansions it has, and the expansions rank below the word itself:

| way | weight | example |
|---|---|---|
| exact | 1.0 | "bezorgd" matches "bezorging" (same term) |
| prefix | 0.8 | "retou", still being typed, matches "retourneren" |
| synonym | 0.7 | "terugsturen" matches "retour" by the shop's table |
| derived | 0.6 | "retour" matches "retourneren" (term + short ending) |
| compound | 0.6 | "verzendkosten" matches verzend + kosten, scored as the mean of its parts |
| typo | 0.5 / 0.35 | "retourneeren" matches "retourneren" (one edit / two) |

A word is a stopword (no clause) when it is one in any language the query is read in; the last
word is completed as a prefix only when the query ends in it (no space or "?" after it yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from balie.knowledge.analysis import stopwords, terms, tokens
from balie.knowledge.ranking.vocabulary import Vocabulary

EXACT = 1.0
PREFIX = 0.8
SYNONYM = 0.7
DERIVED = 0.6
COMPOUND = 0.6
TYPO_WEIGHTS = {1: 0.5, 2: 0.35}


@dataclass(frozen=True, slots=True)
class Alternative:
    term: str
    weight: float


@dataclass(frozen=True, slots=True)
class Compound:
    """Parts that match together: the score is `weight` times the mean of the parts' scores."""

    weight: float
    parts: tuple[tuple[Alternative, ...], ...]


@dataclass(frozen=True, slots=True)
class Clause:
    word: str
    alternatives: tuple[Alternative, ...]
    compounds: tuple[Compound, ...] = ()

    def terms(self) -> set[str]:
        """Every term the clause can match, for telling which ones an article did."""
        found = {alternative.term for alternative in self.alternatives}
        for compound in self.compounds:
            found.update(alternative.term for part in compound.parts for alternative in part)
        return found


def parse(text: str, languages: Sequence[str], vocabulary: Vocabulary) -> list[Clause]:
    """The clauses of a query read in the given languages (see the module docstring)."""
    words = tokens.spans(text)
    typing = bool(words) and words[-1].end == len(text) and len(text) <= tokens.MAX_QUERY_CHARS
    clauses = []
    for index, word in enumerate(words):
        completing = typing and index == len(words) - 1
        clause = _clause(word.forms, languages, vocabulary, completing=completing)
        if clause.alternatives or clause.compounds:
            clauses.append(clause)
    return clauses


def _clause(
    forms: tuple[str, ...], languages: Sequence[str], vocabulary: Vocabulary, *, completing: bool
) -> Clause:
    weights: dict[str, float] = {}

    def add(term: str, weight: float) -> None:
        if weight > weights.get(term, 0.0):
            weights[term] = weight

    word = forms[0]
    is_stopword = any(stopwords.is_stopword(word, language) for language in languages)
    found_compounds = []
    if not is_stopword:
        for language in languages:
            for term in terms.word_terms(forms, language):
                add(term, EXACT)
                for synonym in vocabulary.synonyms.expand(term, language):
                    add(synonym, SYNONYM)
                for derived in vocabulary.derived(term):
                    add(derived, DERIVED)
            compound = _compound(word, language, vocabulary)
            if compound:
                found_compounds.append(compound)
        for known, edits in vocabulary.corrections(word):
            for term in vocabulary.terms_of(known):
                add(term, TYPO_WEIGHTS[edits])
    if completing:
        for completion in vocabulary.completions(word):
            for term in vocabulary.terms_of(completion):
                add(term, PREFIX)
    alternatives = tuple(Alternative(term, weight) for term, weight in weights.items())
    return Clause(word, alternatives, tuple(found_compounds))


def _compound(word: str, language: str, vocabulary: Vocabulary) -> Compound | None:
    parts = []
    for part in vocabulary.compound_parts(word, language):
        part_terms = terms.word_terms((part,), language)
        alternatives = [Alternative(term, EXACT) for term in part_terms]
        alternatives += [
            Alternative(derived, DERIVED)
            for term in part_terms
            for derived in vocabulary.derived(term)
        ]
        if alternatives:
            parts.append(tuple(alternatives))
    return Compound(COMPOUND, tuple(parts)) if len(parts) > 1 else None
