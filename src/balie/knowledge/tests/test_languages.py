"""Language detection for short shop questions, offline."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balie.knowledge.analysis.languages import LANGUAGES, detect


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("waar is mijn pakket?", "nl"),
        ("Wanneer wordt mijn bestelling bezorgd?", "nl"),
        ("kan ik mijn bestelling annuleren", "nl"),
        ("where is my order", "en"),
        ("How do I return my shoes?", "en"),
        ("wo ist meine Bestellung", "de"),
        ("Ich möchte meine Bestellung stornieren", "de"),
        ("où est ma commande", "fr"),
        ("Je voudrais un remboursement", "fr"),
    ],
)
def test_it_recognises_a_short_question_with_confidence(question: str, language: str) -> None:
    # when
    detection = detect(question)

    # then
    assert detection.language == language
    assert detection.confidence >= 0.5


@pytest.mark.parametrize(
    ("word", "language"),
    [("Rücksendung", "de"), ("retourneren", "nl"), ("livraison", "fr"), ("Lieferzeit", "de")],
)
def test_a_single_telling_word_is_recognised_with_less_confidence(word: str, language: str) -> None:
    # when
    detection = detect(word)

    # then
    assert detection.language == language
    assert 0 < detection.confidence < 1


@pytest.mark.parametrize("text", ["", "   ", "😀😀🎉", "12345", "?!", "#4711 / 2026"])
def test_text_without_words_has_no_language(text: str) -> None:
    # when
    detection = detect(text)

    # then
    assert detection.language == ""
    assert detection.confidence == 0.0


def test_a_word_several_languages_share_tells_no_language() -> None:
    # when
    detection = detect("service")

    # then
    assert detection.language == ""
    assert detection.confidence == 0.0


@given(st.text())
def test_detection_never_raises_and_stays_in_range(text: str) -> None:
    # when
    detection = detect(text)

    # then
    assert detection.language in (*LANGUAGES, "")
    assert 0.0 <= detection.confidence <= 1.0
    assert (detection.language == "") == (detection.confidence == 0.0)
