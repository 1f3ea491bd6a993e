"""Splitting text into folded words, with hard caps so any input costs little.

A word is a run of letters, optionally joined by apostrophes; digits, emoji, punctuation and
symbols separate words and are dropped (order numbers and prices are not what the knowledge
base is searched for). Every word is folded (`folding.fold`), and a word is given as its
*forms*, the first being the word itself:

- "auto's", "foto's", "customer's": ("autos", "auto"): shoppers write the Dutch plural and the
  English possessive both with and without the apostrophe, so both forms must match;
- "l'adresse", "d'expédition", "qu'il": ("adresse",), ("expedition",), ("il",): a French
  elided article or pronoun says nothing about the topic;
- "don't": ("dont",).

The caps are there because a search box and a chat message are outside input: a 20,000-character
paste or a page of emoji must not cost more than a normal question. Text past `max_chars` and
words past the first `max_words` are ignored; a "word" longer than `MAX_WORD_CHARS` letters (a
hash, a URL run together, base64) is dropped, and so is a single letter.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from balie.knowledge.analysis import folding

MAX_QUERY_CHARS = 500
MAX_QUERY_WORDS = 32
# An article of ~30,000 words is already a manual; past this the body says nothing new.
MAX_DOCUMENT_CHARS = 200_000
MAX_DOCUMENT_WORDS = 30_000
MAX_WORD_CHARS = 40

# Combining marks are not word characters to `re`, yet "é" may arrive as "e" + U+0301; marks
# that NFC cannot compose (stacked "zalgo" marks) are dropped, as folding would drop them anyway.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARK_RUN = re.compile(f"[{_MARKS}]+")
_LETTER = r"[^\W\d_]"
_APOSTROPHE = "[" + "".join(sorted(folding.APOSTROPHES)) + "]"
# Possessive quantifiers: a word never needs to give letters back, and matching is faster so.
_WORD = re.compile(rf"{_LETTER}++(?:{_APOSTROPHE}{_LETTER}++)*+")
# For offsets in the original text, where the marks must stay inside the words they belong to.
_LETTER_OR_MARK = rf"(?:{_LETTER}|[{_MARKS}])"
_WORD_WITH_MARKS = re.compile(rf"{_LETTER_OR_MARK}+(?:{_APOSTROPHE}{_LETTER_OR_MARK}+)*")

# French words that lose their vowel before another word: l'adresse, d'expédition, qu'il.
_ELISIONS = frozenset(
    {"c", "d", "j", "l", "m", "n", "s", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
)


@dataclass(frozen=True, slots=True)
class Word:
    """A word of the text: its folded forms and where it stands in the original text."""

    forms: tuple[str, ...]
    start: int
    end: int


def words(
    text: str, *, max_chars: int = MAX_QUERY_CHARS, max_words: int = MAX_QUERY_WORDS
) -> list[tuple[str, ...]]:
    """The forms of each word of the text, in order (see the module docstring)."""
    found = (forms(raw) for raw in _matches(text, max_chars, max_words))
    return [forms for forms in found if forms]


def raw_word_counts(
    text: str, *, max_chars: int = MAX_DOCUMENT_CHARS, max_words: int = MAX_DOCUMENT_WORDS
) -> Counter[str]:
    """How often each distinct word occurs, before folding (`forms` folds one): for indexing an
    article, where order does not matter and folding each distinct word once saves time."""
    return Counter(_matches(text, max_chars, max_words, casefold=True))


def spans(
    text: str, *, max_chars: int = MAX_QUERY_CHARS, max_words: int = MAX_QUERY_WORDS
) -> list[Word]:
    """The words of the text with their offsets in it, for highlighting."""
    matches = itertools.islice(_WORD_WITH_MARKS.finditer(text, 0, max_chars), max_words)
    found = (Word(forms(match.group()), match.start(), match.end()) for match in matches)
    return [word for word in found if word.forms]


def _matches(text: str, max_chars: int, max_words: int, *, casefold: bool = False) -> list[str]:
    head = text[:max_chars]
    if not head.isascii():
        head = _MARK_RUN.sub("", unicodedata.normalize("NFC", head))
    if casefold:
        head = head.casefold()
    return _WORD.findall(head)[:max_words]


@functools.lru_cache(maxsize=65_536)
def forms(raw: str) -> tuple[str, ...]:
    """The forms of one word as matched in a text, () for none (see the module docstring);
    cached, as articles share most of their words."""
    folded = folding.fold(raw)
    if folded.isalpha():
        return (folded,) if 1 < len(folded) <= MAX_WORD_CHARS else ()
    parts = ["".join(char for char in part if char.isalpha()) for part in folded.split("'")]
    parts = [part for part in parts if part]
    while len(parts) > 1 and parts[0] in _ELISIONS:
        parts = parts[1:]
    joined = "".join(parts)
    if not 1 < len(joined) <= MAX_WORD_CHARS:
        return ()
    if len(parts) > 1 and parts[-1] == "s" and len(joined) > 2:
        return (joined, joined[:-1])
    return (joined,)
