"""Outside text through every step: the naughty-strings corpus and arbitrary text are analysed
and searched without raising, within the caps, as articles and as queries."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balie.core.tests import corpora
from balie.knowledge.analysis import languages, terms, tokens
from balie.knowledge.ranking import highlighting
from balie.knowledge.ranking.documents import Document
from balie.knowledge.ranking.index import SearchIndex


def _naughty_strings() -> list[str]:
    path = corpora.require(corpora.CORPORA / "naughty-strings" / "blns.json")
    strings: list[str] = json.loads(path.read_text(encoding="utf-8"))
    return strings


def _index() -> SearchIndex:
    return SearchIndex(
        [
            Document(id="returns", title="Retourneren", body="Binnen 30 dagen retourneren."),
            Document(id="shipping", title="Verzending", body="Wij versturen binnen een dag."),
        ],
        synonyms=[["retour", "terugsturen"]],
    )


def test_every_naughty_string_is_analysed_and_searched_without_raising() -> None:
    # given
    strings = _naughty_strings()
    index = _index()

    # when
    for value in strings:
        for language in ("nl", "en", "de", "fr", "xx"):
            terms.text_terms(value, language)
        languages.detect(value)
        hits = index.search(value)

        # then
        assert len(hits) <= 10
        assert all(0 <= hit.normalised_score <= 1 for hit in hits)


def test_an_index_of_naughty_articles_builds_searches_and_highlights() -> None:
    # given
    strings = _naughty_strings()
    articles = [
        Document(
            id=f"{n:03}", title=value, body=value * 3, topic=value, tags=(value,), locale=value
        )
        for n, value in enumerate(strings)
    ]

    # when
    index = SearchIndex(articles, synonyms=[strings[:40], strings[40:80]])

    # then
    for value in strings[::5]:
        for hit in index.search(value, locale=value or None):
            highlighting.spans(value, hit.matched_terms, locale=value)


def test_a_20000_character_question_costs_no_more_than_a_short_one() -> None:
    # given
    index = _index()
    question = "Waarom is mijn retourzending nog niet verwerkt? " * 420
    emoji_only = "📦😡" * 10_000

    # when
    started = time.perf_counter()
    for _ in range(50):
        index.search(question)
        index.search(emoji_only)
    elapsed = time.perf_counter() - started

    # then
    # generous for a busy CI machine: a query is cut at its caps before any work is done
    assert elapsed < 5.0
    assert len(tokens.words(question)) == tokens.MAX_QUERY_WORDS


@given(st.text(), st.sampled_from(["nl", "en", "de", "fr", "xx"]))
def test_the_terms_of_any_text_are_bounded_by_the_query_caps(text: str, language: str) -> None:
    # when
    found = terms.text_terms(text, language)

    # then
    # a word gives at most two terms ("auto's": autos, auto)
    assert len(found) <= 2 * tokens.MAX_QUERY_WORDS
    assert all(0 < len(term) <= tokens.MAX_WORD_CHARS for term in found)


@settings(max_examples=200)
@given(st.text(max_size=2_000), st.sampled_from([None, "nl", "en-GB", "de", "fr", "", "x-y"]))
def test_searching_any_text_never_raises_and_ranks_consistently(
    text: str, locale: str | None
) -> None:
    # given
    index = _index()

    # when
    hits = index.search(text, locale=locale or None, limit=5)

    # then
    assert len(hits) <= 5
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all(0 <= hit.normalised_score <= 1 and hit.matched_terms for hit in hits)


@given(
    st.lists(
        st.builds(
            Document,
            id=st.text(max_size=5),
            title=st.text(max_size=50),
            body=st.text(max_size=300),
            topic=st.text(max_size=20),
            tags=st.lists(st.text(max_size=10), max_size=3).map(tuple),
            locale=st.sampled_from(["nl", "en", "de", "fr", "es", ""]),
            popularity=st.floats(allow_nan=True),
        ),
        max_size=8,
    ),
    st.text(max_size=60),
)
def test_any_articles_index_and_any_query_searches_them(
    articles: list[Document], text: str
) -> None:
    # when
    index = SearchIndex(articles)
    hits = index.search(text)

    # then
    assert len(index) == len(articles)
    assert all(0 <= hit.normalised_score <= 1 for hit in hits)


@pytest.mark.parametrize("query", ["retourneren", "retou", "hoe lang duurt verzending?"])
def test_the_same_query_ranks_the_same_every_time(query: str) -> None:
    # given
    index = _index()

    # when
    first = index.search(query)
    again = index.search(query)

    # then
    assert first == again
