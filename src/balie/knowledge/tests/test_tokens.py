"""Words: letters only, apostrophes understood, and any input cheap."""

from __future__ import annotations

import time
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from balie.knowledge.analysis import tokens


def test_it_splits_a_question_into_folded_words_without_digits_or_punctuation() -> None:
    # when
    words = tokens.words("Waar is mijn pakket?! Bestelnummer #12345, besteld op 3-5.")

    # then
    assert words == [
        ("waar",),
        ("is",),
        ("mijn",),
        ("pakket",),
        ("bestelnummer",),
        ("besteld",),
        ("op",),
    ]


def test_emoji_and_symbols_are_no_words() -> None:
    # when
    words = tokens.words("😡😡 📦❓ → €12,50 ++ ©")

    # then
    assert words == []


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        ("auto's", ("autos", "auto")),
        ("foto’s", ("fotos", "foto")),
        ("customer's", ("customers", "customer")),
        ("l'adresse", ("adresse",)),
        ("d’expédition", ("expedition",)),
        ("qu'il", ("il",)),
        ("don't", ("dont",)),
    ],
)
def test_a_word_with_an_apostrophe_gets_the_forms_shoppers_also_type(
    text: str, forms: tuple[str, ...]
) -> None:
    # when
    words = tokens.words(text)

    # then
    assert words == [forms]


def test_single_letters_and_endless_letter_runs_are_dropped() -> None:
    # given
    hash_like = "a" * (tokens.MAX_WORD_CHARS + 1)

    # when
    words = tokens.words(f"e-mail x {hash_like} ok")

    # then
    assert words == [("mail",), ("ok",)]


def test_an_accent_typed_as_a_combining_mark_stays_inside_its_word() -> None:
    # when
    words = tokens.words("cafe\u0301 geopend")

    # then
    assert words == [("cafe",), ("geopend",)]


def test_a_query_stops_at_its_caps() -> None:
    # given
    long_question = "retour " * 20_000

    # when
    words = tokens.words(long_question)

    # then
    assert len(words) == tokens.MAX_QUERY_WORDS


def test_spans_give_the_offsets_in_the_original_text() -> None:
    # given
    text = "Waar is mijn PAKKET, auto's?"

    # when
    spans = tokens.spans(text)

    # then
    assert [(text[span.start : span.end], span.forms) for span in spans] == [
        ("Waar", ("waar",)),
        ("is", ("is",)),
        ("mijn", ("mijn",)),
        ("PAKKET", ("pakket",)),
        ("auto's", ("autos", "auto")),
    ]


def test_raw_word_counts_count_each_word_of_an_article_once_per_occurrence() -> None:
    # when
    counts = tokens.raw_word_counts("Retour, retour en RETOUR: 3 keer.")

    # then
    assert counts == {"retour": 3, "en": 1, "keer": 1}


def test_a_huge_paste_or_a_page_of_emoji_is_cheap() -> None:
    # given
    paste = "Hallo, ik wil graag weten waar mijn bestelling blijft. " * 400  # ~20,000 characters
    emoji = "😀🎉📦" * 7_000

    # when
    started = time.perf_counter()
    for _ in range(100):
        tokens.words(paste)
        tokens.words(emoji)
        tokens.spans(paste)
    elapsed = time.perf_counter() - started

    # then
    # generous for a busy CI machine: each call reads at most MAX_QUERY_CHARS characters
    assert elapsed < 2.0


@given(st.text(), st.integers(min_value=0, max_value=50), st.integers(min_value=0, max_value=10))
def test_words_are_never_empty_and_never_exceed_the_caps(
    text: str, max_chars: int, max_words: int
) -> None:
    # when
    words = tokens.words(text, max_chars=max_chars, max_words=max_words)
    spans = tokens.spans(text, max_chars=max_chars, max_words=max_words)

    # then
    assert len(words) <= max_words
    assert len(spans) <= max_words
    for forms in words:
        assert forms
        assert all(1 < len(form) <= tokens.MAX_WORD_CHARS and form.isalpha() for form in forms)
    for span in spans:
        assert 0 <= span.start < span.end <= max_chars


@given(st.text(max_size=300))
def test_words_and_spans_read_text_without_combining_marks_alike(text: str) -> None:
    # given
    # spans keep combining marks inside their words; words drop them before matching
    assume(not any(unicodedata.combining(char) for char in text))

    # when
    words = tokens.words(text)
    spans = tokens.spans(text)

    # then
    assert words == [span.forms for span in spans]
