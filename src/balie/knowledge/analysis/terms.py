"""From words to the terms the index stores: stopwords out, every form stemmed.

One function for articles, queries and synonym lists alike, so the three always agree on what
a word becomes: "Bezorgd", "bezorging" and "BEZORGEN" are all the term "bezorg".
"""

from __future__ import annotations

import functools

from balie.knowledge.analysis import stemming, stopwords, tokens


@functools.lru_cache(maxsize=131_072)
def word_terms(forms: tuple[str, ...], language: str) -> tuple[str, ...]:
    """The distinct stems of a word's forms ("auto's": autos, auto); () for a stopword."""
    if stopwords.is_stopword(forms[0], language):
        return ()
    if len(forms) == 1:
        return (stemming.stem(forms[0], language),)
    return tuple(dict.fromkeys(stemming.stem(form, language) for form in forms))


def text_terms(
    text: str,
    language: str,
    *,
    max_chars: int = tokens.MAX_QUERY_CHARS,
    max_words: int = tokens.MAX_QUERY_WORDS,
) -> list[str]:
    """The terms of every word of the text, in order, within the caps of `tokens`."""
    return [
        term
        for forms in tokens.words(text, max_chars=max_chars, max_words=max_words)
        for term in word_terms(forms, language)
    ]
