"""Compound splitting: Dutch and German compounds into known words, never into crumbs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balie.knowledge.analysis.compounds import MIN_PART_CHARS, CompoundSplitter

VOCABULARY = ["retour", "retourneren", "verzending", "verzend", "kosten", "levertijden", "klant"]


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("retourzending", ("retour", "zending")),
        ("retourzendingen", ("retour", "zending")),
        ("verzendkosten", ("verzend", "kosten")),
        ("bezorgingsdatum", ("bezorging", "datum")),  # linking -s-
        ("klantenservice", ("klanten", "service")),  # linking -en-, the longer parts win
        ("kortingscode", ("korting", "code")),
        ("winkelwagen", ("winkel", "wagen")),
        ("levertijden", ("lever", "tijd")),  # known as a whole, still split into its parts
    ],
)
def test_it_splits_dutch_compounds_into_known_words(word: str, parts: tuple[str, ...]) -> None:
    # given
    splitter = CompoundSplitter(VOCABULARY, "nl")

    # when
    found = splitter.split(word)

    # then
    assert found == parts


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("versandkosten", ("versand", "kosten")),
        ("zahlungsmethode", ("zahlung", "methode")),
        ("kundenservice", ("kunden", "service")),
    ],
)
def test_it_splits_german_compounds_with_their_linking_letters(
    word: str, parts: tuple[str, ...]
) -> None:
    # given
    splitter = CompoundSplitter(["versand"], "de")

    # when
    found = splitter.split(word)

    # then
    assert found == parts


@pytest.mark.parametrize(
    "word",
    [
        "verzending",  # ver + zending: "ver" is no part
        "bestelling",
        "retourneren",  # retour + neren: "neren" is no known word
        "voorwaarden",  # voor + waarden: a particle is no part
        "terugbetaling",
        "pakje",
        "xqzvbnmlkjhg",
    ],
)
def test_it_never_splits_into_tiny_or_meaningless_parts(word: str) -> None:
    # given
    splitter = CompoundSplitter([*VOCABULARY, "ver", "zending", "waarden"], "nl")

    # when
    found = splitter.split(word)

    # then
    assert found == ()


def test_english_and_french_words_are_not_split() -> None:
    # given
    splitter = CompoundSplitter(["order", "status"], "en")

    # when
    found = splitter.split("orderstatus")

    # then
    assert found == ()


@given(st.text(alphabet="abdegiklnorstuvz", max_size=40))
def test_parts_are_known_long_enough_and_spell_the_word(word: str) -> None:
    # given
    splitter = CompoundSplitter([*VOCABULARY, "zending", "tijd", "datum", "sten"], "nl")

    # when
    parts = splitter.split(word)

    # then
    assert len(parts) != 1
    if parts:
        assert all(len(part) >= MIN_PART_CHARS for part in parts)
        assert word.startswith(parts[0])
        # what is between and after the parts is linking letters and a plural ending at most
        assert len(word) - sum(map(len, parts)) <= 2 * len(parts)
