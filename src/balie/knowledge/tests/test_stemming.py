"""Stems, stopwords and terms: the forms of one Dutch word meet, in four languages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balie.knowledge.analysis import stemming, stopwords, terms


@pytest.mark.parametrize(
    "words",
    [
        ("bezorgen", "bezorging", "bezorgd", "bezorgde", "bezorgt"),
        ("bestellen", "bestelling", "bestellingen", "besteld"),
        ("betalen", "betaling", "betaald", "betaalt"),
        ("retourneren", "retourneert", "retournering"),
        ("annuleren", "annulering", "geannuleerd"),
        ("terugsturen", "teruggestuurd"),
        ("invullen", "ingevuld"),
        ("pakket", "pakketten"),
        ("levertijd", "levertijden"),
        ("verzenden", "verzending"),
        ("doos", "dozen"),
        ("brief", "brieven"),
    ],
)
def test_the_forms_of_a_dutch_word_share_one_stem(words: tuple[str, ...]) -> None:
    # when
    stems = {stemming.stem(word, "nl") for word in words}

    # then
    assert len(stems) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [("verzending", "vers"), ("bestand", "bestaan"), ("methode", "met"), ("bericht", "berich")],
)
def test_dutch_words_that_only_look_alike_keep_apart(first: str, second: str) -> None:
    # when
    stems = (stemming.stem(first, "nl"), stemming.stem(second, "nl"))

    # then
    assert stems[0] != stems[1]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ("order", "orders", "ordered", "ordering")),
        ("en", ("return", "returns", "returned")),
        ("de", ("bestellung", "bestellungen")),
        ("de", ("lieferung", "lieferungen")),
        ("fr", ("commande", "commandes")),
        ("fr", ("rembourser", "remboursement")),
    ],
)
def test_english_german_and_french_forms_share_a_stem(
    language: str, words: tuple[str, ...]
) -> None:
    # when
    stems = {stemming.stem(word, language) for word in words}

    # then
    assert len(stems) == 1


def test_a_language_without_a_stemmer_keeps_the_word() -> None:
    # when
    stem = stemming.stem("devoluciones", "es")

    # then
    assert stem == "devoluciones"


@pytest.mark.parametrize(
    ("word", "language"),
    [("waar", "nl"), ("mijn", "nl"), ("where", "en"), ("meine", "de"), ("ou", "fr")],
)
def test_question_words_and_pronouns_are_stopwords(word: str, language: str) -> None:
    # then
    assert stopwords.is_stopword(word, language)


def test_a_shop_word_is_no_stopword_in_any_language() -> None:
    # then
    assert not any(stopwords.is_stopword("bestelling", language) for language in stemming.LANGUAGES)


def test_stopword_lists_are_written_folded() -> None:
    # then
    for words in stopwords.STOPWORDS.values():
        assert all(word.isascii() and word.islower() for word in words)


def test_the_terms_of_a_question_are_its_stems_without_stopwords() -> None:
    # when
    found = terms.text_terms("Waar is mijn PAKKET? Is het al bezorgd?", "nl")

    # then
    assert found == ["pakket", "bezorg"]


def test_retourneren_in_capitals_is_the_same_term() -> None:
    # then
    assert terms.text_terms("RETOURNEREN", "nl") == terms.text_terms("retourneren", "nl")


@given(st.text(alphabet=st.characters(categories=["Ll", "Lu", "Lo"]), max_size=40))
@pytest.mark.parametrize("language", [*stemming.LANGUAGES, "xx"])
def test_stemming_any_letters_never_raises_and_never_grows_much(language: str, word: str) -> None:
    # when
    stem = stemming.stem(word, language)

    # then
    assert isinstance(stem, str)
    # German Snowball writes "ß" as "ss": the one way a stem may outgrow its word.
    assert len(stem) <= len(word) + word.count("ß") + 1
