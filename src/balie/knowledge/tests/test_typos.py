"""Typo tolerance: one edit for 4–7 letters, two beyond, none for short words."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balie.knowledge.analysis.typos import TypoIndex, allowed_edits, edit_distance

KNOWN = {"retourneren": 20, "verzending": 12, "pakket": 30, "pak": 5, "bestelling": 25, "tas": 3}


@pytest.mark.parametrize(
    ("typo", "meant", "edits"),
    [
        ("retourneeren", "retourneren", 1),  # a letter too many
        ("retoruneren", "retourneren", 1),  # two neighbours swapped
        ("retourneern", "retourneren", 1),
        ("rteourneeren", "retourneren", 2),
        ("verzendign", "verzending", 1),
        ("verzendnig", "verzending", 1),
        ("pakkat", "pakket", 1),  # six letters: one edit
        ("pkaket", "pakket", 1),
        ("bestelign", "bestelling", 2),
    ],
)
def test_it_finds_the_word_a_typo_was_meant_to_be(typo: str, meant: str, edits: int) -> None:
    # given
    index = TypoIndex(KNOWN)

    # when
    corrections = index.corrections(typo)

    # then
    assert corrections[0] == (meant, edits)


@pytest.mark.parametrize(
    ("typo", "why"),
    [
        ("pas", "three letters: no typo tolerance, pas and pak are different words"),
        ("tax", "idem"),
        ("pakkto", "six letters allow one edit, this is two"),
        ("verzendingxyz", "three edits"),
    ],
)
def test_it_does_not_correct_beyond_what_the_length_allows(typo: str, why: str) -> None:
    # given
    index = TypoIndex(KNOWN)

    # when
    corrections = index.corrections(typo)

    # then
    assert corrections == [], why


def test_a_known_word_is_not_its_own_correction() -> None:
    # given
    index = TypoIndex(KNOWN)

    # when
    corrections = index.corrections("pakket")

    # then
    assert corrections == []


def test_equally_close_words_come_most_common_first() -> None:
    # given
    index = TypoIndex({"kosten": 2, "kasten": 9, "kisten": 9})

    # when
    corrections = index.corrections("kusten")

    # then
    assert corrections == [("kasten", 1), ("kisten", 1), ("kosten", 1)]


@pytest.mark.parametrize(
    ("word", "edits"), [("pak", 0), ("pakt", 1), ("pakket", 1), ("bestelt", 1), ("bestelling", 2)]
)
def test_the_allowed_edits_grow_with_the_length(word: str, edits: int) -> None:
    # then
    assert allowed_edits(word) == edits


def _reference_distance(a: str, b: str) -> int:
    """The textbook optimal-string-alignment table, filled completely."""
    table = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            table[i][j] = min(
                table[i - 1][j] + 1,
                table[i][j - 1] + 1,
                table[i - 1][j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
    return table[-1][-1]


@given(
    st.text(alphabet="abcd", max_size=9),
    st.text(alphabet="abcd", max_size=9),
    st.integers(min_value=0, max_value=3),
)
def test_the_banded_distance_matches_the_full_table(a: str, b: str, bound: int) -> None:
    # when
    distance = edit_distance(a, b, bound)

    # then
    expected = _reference_distance(a, b)
    assert distance == (expected if expected <= bound else bound + 1)


@given(
    st.lists(st.text(alphabet="aeklnorst", min_size=3, max_size=12), max_size=30),
    st.text(alphabet="aeklnorst", max_size=14),
)
def test_the_index_finds_exactly_what_a_full_scan_finds(known: list[str], word: str) -> None:
    # given
    index = TypoIndex(dict.fromkeys(known, 1))
    edits = allowed_edits(word)

    # when
    found = {known_word for known_word, _ in index.corrections(word, limit=1_000)}

    # then
    expected = {
        candidate
        for candidate in known
        if candidate != word and edits and _reference_distance(word, candidate) <= edits
    }
    assert found == expected
