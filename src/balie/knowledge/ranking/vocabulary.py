"""What an index knows about its words, for widening a query beyond the words typed.

Completions for search-as-you-type and typo corrections work on the folded words the articles
contain ("retou" completes to "retourneren", "bezorgin" to "bezorging"), because a half-typed
word is a prefix of a word, not of its stem; both then lead to those words' terms. Derived terms
and compound parts work on terms: "retour" also reaches "retourner" (retourneren), and
"verzendkosten" splits against the words and stems of the index's articles.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Mapping

from balie.knowledge.analysis import compounds, synonyms, typos

MIN_PREFIX_CHARS = 3
MAX_COMPLETIONS = 20
# How many words or terms starting with a prefix are looked at ("ver" begins thousands).
_MAX_COMPLETION_SCAN = 2_000
MIN_DERIVING_CHARS = 5
MAX_DERIVED_EXTRA_CHARS = 3
MAX_DERIVED = 10
MAX_CORRECTIONS = 5
# A known word is still corrected when a neighbour is this many times as common: the one
# article that says "retourneeren" must not hide the twenty that say "retourneren".
TYPO_DOMINANCE = 3


class Vocabulary:
    """The words and terms of an index, with lookups for completions, typos and compounds."""

    def __init__(
        self,
        *,
        word_frequencies: Mapping[str, int],
        word_terms: Mapping[str, tuple[str, ...]],
        headline_words: Collection[str],
        terms: Iterable[str],
        words_by_language: Mapping[str, Iterable[str]],
        synonym_groups: Iterable[Iterable[str]],
        lexicon: Mapping[str, Iterable[Iterable[str]]] | None = None,
    ) -> None:
        """`word_frequencies`: in how many articles each folded word occurs; `word_terms`: the
        terms each word became; `headline_words`: those in titles, topics or tags;
        `words_by_language`: the words and stems per language, which compounds may be split
        into."""
        self._frequencies = word_frequencies
        self._word_terms = word_terms
        self._words = sorted(word_frequencies)
        self._terms = sorted(terms)
        # A typo is corrected towards words the articles stand for: in a title, topic or tag,
        # or in two articles or more. A word one article's body uses once is as often a name
        # or a typo itself, and half of a corpus's distinct words are such words.
        self._typos = typos.TypoIndex(
            {
                word: frequency
                for word, frequency in word_frequencies.items()
                if frequency > 1 or word in headline_words
            }
        )
        self._splitters = {
            language: compounds.CompoundSplitter(known, language)
            for language, known in words_by_language.items()
            if language in compounds.LANGUAGES
        }
        self.synonyms = synonyms.SynonymTable(synonym_groups, words_by_language, lexicon)

    def terms_of(self, word: str) -> tuple[str, ...]:
        """The terms a known word became in the articles (one per language it occurs in)."""
        return self._word_terms.get(word, ())

    def completions(self, prefix: str) -> list[str]:
        """The most common known words that start with the prefix (itself excluded)."""
        if len(prefix) < MIN_PREFIX_CHARS:
            return []
        start = bisect.bisect_left(self._words, prefix)
        found = []
        for word in self._words[start : start + _MAX_COMPLETION_SCAN]:
            if not word.startswith(prefix):
                break
            if word != prefix:
                found.append(word)
        found.sort(key=lambda word: (-self._frequencies[word], word))
        return found[:MAX_COMPLETIONS]

    def derived(self, term: str) -> list[str]:
        """Known terms that are the term plus a short ending: "retour" → "retourner"."""
        if len(term) < MIN_DERIVING_CHARS:
            return []
        start = bisect.bisect_right(self._terms, term)
        found: list[str] = []
        for known in self._terms[start : start + _MAX_COMPLETION_SCAN]:
            if not known.startswith(term) or len(found) >= MAX_DERIVED:
                break
            if len(known) <= len(term) + MAX_DERIVED_EXTRA_CHARS:
                found.append(known)
        return found

    def corrections(self, word: str) -> list[tuple[str, int]]:
        """Known words the word may be a typo of, as (word, edits); for a known word only
        neighbours `TYPO_DOMINANCE` times as common."""
        own = self._frequencies.get(word, 0)
        return [
            (known, edits)
            for known, edits in self._typos.corrections(word, limit=MAX_CORRECTIONS)
            if own == 0 or self._frequencies[known] >= TYPO_DOMINANCE * own
        ]

    def compound_parts(self, word: str, language: str) -> tuple[str, ...]:
        """The parts of a Dutch or German compound, or () (see `compounds`)."""
        splitter = self._splitters.get(language)
        return splitter.split(word) if splitter else ()
