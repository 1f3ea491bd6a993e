"""Folding: case, accents, ligatures and apostrophes never decide a match."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balie.knowledge.analysis.folding import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("RETOURNEREN", "retourneren"),
        ("Retourneren", "retourneren"),
        ("café", "cafe"),
        ("één", "een"),
        ("België", "belgie"),
        ("Rückgabe", "ruckgabe"),
        ("Straße", "strasse"),
        ("ĳsje", "ijsje"),  # the Dutch ij ligature
        ("où", "ou"),
        ("reçu", "recu"),
        ("Œuvre", "oeuvre"),
        ("Ørsted", "orsted"),
        ("ﬁets", "fiets"),  # the fi ligature
        ("ｒｅｔｏｕｒ", "retour"),  # full-width letters
        ("cafe\u0301", "cafe"),  # é as e + combining accent
    ],
)
def test_it_folds_case_accents_and_compatibility_forms(text: str, folded: str) -> None:
    # when
    result = fold(text)

    # then
    assert result == folded


@pytest.mark.parametrize("apostrophe", ["'", "’", "‘", "ʼ", "´", "`"])
def test_every_kind_of_apostrophe_becomes_the_ascii_one(apostrophe: str) -> None:
    # when
    result = fold(f"auto{apostrophe}s")

    # then
    assert result == "auto's"


def test_mojibake_is_left_as_the_letters_it_is() -> None:
    # given
    # "é" decoded as Latin-1 by a broken mail client: folding must not pretend it is "e"
    mojibake = "cafÃ©"

    # when
    result = fold(mojibake)

    # then
    assert result == "cafa©"


@given(st.text())
def test_folding_is_idempotent_and_lower_case(text: str) -> None:
    # when
    folded = fold(text)

    # then
    assert fold(folded) == folded
    assert folded == folded.casefold()
