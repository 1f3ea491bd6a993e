from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from balie.knowledge.ranking.chargrams import CharGramIndex, grams


def test_words_are_cut_into_padded_letter_sequences() -> None:
    assert set(grams("Pan")) == {" pa", "pan", "an ", " pan", "pan ", " pan "}


def test_a_close_spelling_is_most_similar() -> None:
    # given
    index = CharGramIndex([("afhaal", "Kan ik mijn pakket afhalen bij een afhaalpunt?"),
                           ("retour", "Hoe stuur ik iets terug?")])  # fmt: skip
    # when
    found = index.similar("ophaalpunt in de buurt")
    # then
    assert max(found, key=found.__getitem__) == "afhaal"


def test_the_same_text_is_fully_similar_and_unrelated_text_not_at_all() -> None:
    # given
    index = CharGramIndex([("a", "retour aanmelden"), ("b", "bezorgen in belgie")])
    # when / then
    assert index.similar("retour aanmelden")["a"] > 0.99
    assert "a" not in index.similar("xyz qqq")


@given(st.text(max_size=300))
def test_any_text_gives_scores_between_zero_and_one(text: str) -> None:
    index = CharGramIndex([("a", "retour aanmelden"), ("b", "verzendkosten en levertijd")])
    assert all(0.0 <= score <= 1.0 for score in index.similar(text).values())
