"""The plain BM25 baseline: Okapi BM25 (k1 1.2, b 0.75) over each article's title, other ways to
ask and body as one bag of lowercased words; no stemming, compounds, typos, synonyms or fields.
What a search box without language knowledge gives on the same data."""

from __future__ import annotations

import math
import re
from collections import Counter

_WORD = re.compile(r"\w+")
K1, B = 1.2, 0.75


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class PlainBM25:
    def __init__(self, documents: list[tuple[str, str]]) -> None:
        self.ids = [document_id for document_id, _text in documents]
        self.counts = [Counter(words(text)) for _id, text in documents]
        self.lengths = [sum(counts.values()) for counts in self.counts]
        self.average = sum(self.lengths) / max(1, len(self.lengths))
        frequency: Counter[str] = Counter()
        for counts in self.counts:
            frequency.update(counts.keys())
        total = len(self.ids)
        self.idf = {w: math.log(1 + (total - n + 0.5) / (n + 0.5)) for w, n in frequency.items()}
        self.postings: dict[str, list[int]] = {}
        for index, counts in enumerate(self.counts):
            for word in counts:
                self.postings.setdefault(word, []).append(index)

    def search(self, text: str, limit: int = 3) -> list[tuple[str, float]]:
        scores: dict[int, float] = {}
        for word in set(words(text)):
            idf = self.idf.get(word)
            if idf is None:
                continue
            for index in self.postings[word]:
                tf = self.counts[index][word]
                norm = K1 * (1 - B + B * self.lengths[index] / self.average)
                scores[index] = scores.get(index, 0.0) + idf * tf * (K1 + 1) / (tf + norm)
        best = sorted(scores.items(), key=lambda item: -item[1])[:limit]
        return [(self.ids[index], score) for index, score in best]
