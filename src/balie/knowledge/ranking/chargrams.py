"""Letter-sequence similarity between a question and short phrases (titles, other ways to ask).

Words are folded and cut into the 3-, 4- and 5-letter sequences of " word " (spaces mark the
ends); each phrase is a TF-IDF vector of those, normalised, and a question's similarity to a
phrase is their cosine. Where word matching needs the same stem, this still sees that
"retourtje", "retourzending" and "retourneren" share most of their letters, and survives a typo
or a spelling the stemmer does not know ("afhaalpunt" / "ophaalpunt").

Sequences in more than `COMMON_SHARE` of the phrases (" de ", "en ") add almost nothing and
would make every search walk most postings, so they are left out of the index.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable

from balie.knowledge.analysis import folding

SIZES = (3, 4, 5)
COMMON_SHARE = 0.2
MAX_QUERY_CHARS = 500
MAX_QUERY_GRAMS = 96
_NOT_WORD = re.compile(r"[^\w]+")


def grams(text: str) -> Counter[str]:
    folded = _NOT_WORD.sub(" ", folding.fold(text[:MAX_QUERY_CHARS].casefold()))
    found: Counter[str] = Counter()
    for word in folded.split():
        padded = f" {word} "
        for size in SIZES:
            for start in range(len(padded) - size + 1):
                found[padded[start : start + size]] += 1
    return found


class CharGramIndex:
    """Phrases by id; `similar` gives each phrase id's cosine with a query (0..1)."""

    def __init__(self, phrases: Iterable[tuple[str, str]]) -> None:
        counted = [(phrase_id, grams(text)) for phrase_id, text in phrases]
        self._ids = [phrase_id for phrase_id, _grams in counted]
        frequency: Counter[str] = Counter()
        for _phrase_id, found in counted:
            frequency.update(found.keys())
        total = max(1, len(counted))
        self._idf = {gram: math.log(total / (1 + df)) + 1 for gram, df in frequency.items()}
        self._unseen = math.log(total) + 1
        limit = max(5, int(COMMON_SHARE * total))
        self._postings: dict[str, list[tuple[int, float]]] = {}
        for index, (_phrase_id, found) in enumerate(counted):
            for gram, weight in self._vector(found).items():
                if frequency[gram] <= limit:
                    self._postings.setdefault(gram, []).append((index, weight))

    def similar(self, text: str) -> dict[str, float]:
        totals: dict[int, float] = {}
        vector = self._vector(grams(text))
        # The query's most telling sequences only: bounded work for a long question, and the
        # common ones it drops would add little to any phrase's score.
        telling = heapq.nlargest(
            MAX_QUERY_GRAMS, vector.items(), key=lambda item: (item[1], item[0])
        )
        for gram, weight in telling:
            for index, phrase_weight in self._postings.get(gram, ()):
                totals[index] = totals.get(index, 0.0) + weight * phrase_weight
        return {self._ids[index]: min(1.0, score) for index, score in totals.items()}

    def _vector(self, found: Counter[str]) -> dict[str, float]:
        vector = {
            gram: (1 + math.log(count)) * self._idf.get(gram, self._unseen)
            for gram, count in found.items()
        }
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        return {gram: value / norm for gram, value in vector.items()}
