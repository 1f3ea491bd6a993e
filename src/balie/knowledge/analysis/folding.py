"""Folding a word to the form shoppers' spellings share: "RETOURNEREN", "Retourneren" and
"retournéren" all become "retourneren", so case and accents never decide a match.

Shoppers type on phones without accents ("ou est ma commande", "Ruckgabe") while articles are
written correctly ("où", "Rückgabe"); folding both sides to plain letters is what lets them meet.
Steps: NFKC (ligatures and full-width letters, "ĳ" → "ij"), casefold ("ß" → "ss"), then the
accents dropped (NFD without combining marks) and the few letters that have no decomposition
written out ("ø" → "o", "æ" → "ae"). Apostrophes are only unified here; what a word with one
means ("auto's", "l'adresse") is decided in `tokens`.
"""

from __future__ import annotations

import unicodedata

APOSTROPHE = "'"
# Typed or autocorrected apostrophes: ’ ‘ ʼ ´ ` and the prime. All mean the ASCII one.
APOSTROPHES = frozenset("'’‘ʼ´`′")

# Before NFKC, which would make "´" a space and an accent.
_TO_APOSTROPHE = str.maketrans(dict.fromkeys(APOSTROPHES, APOSTROPHE))
# Letters that NFD does not split into a base letter and an accent.
_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def fold(text: str) -> str:
    """The text in lower case without accents, with every apostrophe as "'"."""
    if text.isascii():
        return text.lower().replace("`", APOSTROPHE)
    folded = unicodedata.normalize("NFKC", text.translate(_TO_APOSTROPHE)).casefold()
    folded = folded.translate(_LETTERS_WITHOUT_DECOMPOSITION)
    decomposed = unicodedata.normalize("NFD", folded)
    return "".join(char for char in decomposed if not unicodedata.combining(char))
