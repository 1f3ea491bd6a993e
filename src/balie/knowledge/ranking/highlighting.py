"""Where in an article's text the words stand that made it match, for the help center to mark.

A hit's `matched_terms` are index terms ("bezorg"), not the article's words ("bezorging",
"Bezorgd"); reading the text with the same analysis finds every word that became one of them,
with its offsets in the original text, accents and capitals as written.
"""

from __future__ import annotations

from collections.abc import Iterable

from balie.knowledge.analysis import terms, tokens
from balie.knowledge.ranking.documents import language_of


def spans(text: str, matched_terms: Iterable[str], *, locale: str) -> list[tuple[int, int]]:
    """(start, end) of each word of the text whose terms include a matched term, in order."""
    wanted = frozenset(matched_terms)
    if not wanted:
        return []
    language = language_of(locale)
    words = tokens.spans(
        text, max_chars=tokens.MAX_DOCUMENT_CHARS, max_words=tokens.MAX_DOCUMENT_WORDS
    )
    return [
        (word.start, word.end)
        for word in words
        if not wanted.isdisjoint(terms.word_terms(word.forms, language))
    ]
