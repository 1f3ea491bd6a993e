"""Reducing a folded word to its stem, so "bezorgen", "bezorging" and "bezorgd" meet.

The Snowball algorithms come from PyStemmer (a C extension, ~1 µs a word; the pure-Python
`snowballstemmer` measured ~100 µs here, too slow to build an index of 5,000 articles in
seconds). For Dutch we use Snowball's Porter-based "dutch_porter": the newer "dutch" stems
"verzending" to "vers" (the word for fresh) and "retourzending" to "retours", which breaks
exactly the shop vocabulary we search. Porter's Dutch leaves three gaps that shop questions hit
all the time, so `stem` closes them after it:

- past participles: "bezorgd", "besteld", "teruggestuurd", "geannuleerd" lose the final d/t
  and the ge- (also after a separable particle: terug-ge-stuurd);
- a doubled final consonant: "bestellen" → "bestell" becomes "bestel", like "besteld";
- a final z or v: "dozen" → "doz" becomes "dos", like "doos" ("brieven", "brief");
- a doubled vowel before the last consonant: "betaal" (betaalt, betaald) becomes "betal", like
  "betalen".

Unknown languages are not stemmed: the folded word is its own stem.
"""

from __future__ import annotations

import functools
import threading

import Stemmer

LANGUAGES = ("nl", "en", "de", "fr")
_ALGORITHMS = {"nl": "dutch_porter", "en": "english", "de": "german", "fr": "french"}

_VOWELS = frozenset("aeiouy")
# A word ends in s or f where its inflected forms have z or v: doos/dozen, brief/brieven.
_VOICED = {"z": "s", "v": "f"}
_DOUBLE_VOWELS = frozenset({"aa", "ee", "oo", "uu"})
# The prefixes a Dutch past participle starts with: ge-stuurd, be-zorgd, ver-stuurd, ont-vangt.
_PARTICIPLE_PREFIXES = ("ge", "be", "ver", "ont", "her", "er")
# Letters a verb's root ends in before the d/t of its participle: bezorg-d, bestel-d, verpak-t.
# Not n and s: "verzend", "bestand" and "verzendkost" are no participles.
_ROOT_ENDINGS = frozenset("rlgkpfwm")
_LONG_VOWELS = frozenset({"aa", "ee", "oo", "uu", "ie"})
# Verbs whose ge- is part of the root: gebruikt is gebruik-t, not ge-bruik-t.
_GE_VERBS = ("gebruik", "gebeur", "geloof", "geniet", "gewen")
# Separable particles that come before the ge- of a participle: terug-ge-stuurd, op-ge-haald.
_PARTICLES = (
    "terug", "thuis", "door", "voor", "over", "vast", "weg", "mee", "aan", "uit", "toe", "bij",
    "los", "op", "af", "in", "na", "om",
)  # fmt: skip
_MIN_PARTICIPLE_CHARS = 6
# What must be left of a participle after its ge- for the ge- to be a prefix at all.
_MIN_ROOT_CHARS = 3

# PyStemmer's stemmer objects are not safe to share between threads.
_local = threading.local()


def stem(word: str, language: str) -> str:
    """The stem of a folded word in a language of `LANGUAGES`; the word itself otherwise."""
    if language not in _ALGORITHMS:
        return word
    return _stem(word, language)


@functools.lru_cache(maxsize=131_072)
def _stem(word: str, language: str) -> str:
    stemmed: str = _stemmer(language).stemWord(word)
    if language == "nl":
        return _dutch(stemmed)
    return stemmed


def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmers: dict[str, Stemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = Stemmer.Stemmer(_ALGORITHMS[language])
    return stemmers[language]


def _dutch(stemmed: str) -> str:
    stemmed = _without_participle(stemmed)
    if len(stemmed) > 3 and stemmed[-1] == stemmed[-2] and stemmed[-1] not in _VOWELS:
        stemmed = stemmed[:-1]
    if len(stemmed) > 2 and stemmed[-1] in _VOICED:
        stemmed = stemmed[:-1] + _VOICED[stemmed[-1]]
    if len(stemmed) > 3 and stemmed[-1] not in _VOWELS and stemmed[-3:-1] in _DOUBLE_VOWELS:
        stemmed = stemmed[:-2] + stemmed[-1]
    return stemmed


def _without_participle(stemmed: str) -> str:
    """ "bezorgd" → "bezorg", "gestuurd" → "stuur", "teruggestuurd" → "terugstuur",
    "retourneert" → "retourneer". Only a d/t after a letter that ends a verb's root in
    participles counts: "verzend", "bestand", "methode" and "bericht" keep theirs."""
    if len(stemmed) < _MIN_PARTICIPLE_CHARS or not _ends_in_inflection(stemmed):
        return stemmed
    if stemmed.endswith(("eert", "eerd")):
        stemmed = stemmed[:-1]
        return stemmed[2:] if stemmed.startswith("ge") else stemmed
    for particle in _PARTICLES:
        infix = particle + "ge"
        if stemmed.startswith(infix) and len(stemmed) - len(infix) > _MIN_ROOT_CHARS:
            return particle + stemmed[len(infix) : -1]
    if stemmed.startswith(_GE_VERBS):
        return stemmed[:-1]
    if not stemmed.startswith(_PARTICIPLE_PREFIXES):
        return stemmed
    if stemmed.startswith("ge") and len(stemmed) - 3 > _MIN_ROOT_CHARS:
        return stemmed[2:-1]
    return stemmed[:-1]


def _ends_in_inflection(stemmed: str) -> bool:
    if stemmed[-1] not in "dt":
        return False
    before = stemmed[-2]
    return (
        before in _ROOT_ENDINGS
        or stemmed[-3:-1] in _DOUBLE_VOWELS
        or (before == "n" and stemmed[-4:-2] in _LONG_VOWELS)
    )
