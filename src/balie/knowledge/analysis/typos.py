"""Finding the known words a misspelt word was meant to be: "retourneeren" → "retourneren".

How far a word may be off grows with its length, as a typo in a short word makes another word
("pas" and "pak"): none below `MIN_TYPO_CHARS` letters, one edit up to 7 letters, two beyond.
An edit is an inserted, deleted or replaced letter or two neighbours swapped
(Damerau–Levenshtein in its optimal-string-alignment form, which is what typing errors are).

Lookups use a deletion neighbourhood (the SymSpell idea) instead of comparing the word with
every known word: each known word is stored under every string it becomes with up to two
letters deleted; a misspelt word's own deletions then meet its candidates in a few dictionary
lookups, and only those few are measured exactly. Deletions are taken from the first
`_PREFIX_CHARS` letters only (SymSpell's prefix trick), which keeps the neighbourhood of a long
word small; the exact distance is always measured on the whole words.
"""

from __future__ import annotations

from collections.abc import Mapping

MIN_TYPO_CHARS = 4
LONG_WORD_CHARS = 8
_MAX_EDITS = 2
_PREFIX_CHARS = 8


def allowed_edits(word: str) -> int:
    """How many edits a typo of this word may have: 0 below 4 letters, 1 up to 7, 2 beyond."""
    if len(word) < MIN_TYPO_CHARS:
        return 0
    return 1 if len(word) < LONG_WORD_CHARS else _MAX_EDITS


class TypoIndex:
    """Known words by their deletions; `corrections` answers in a few lookups."""

    def __init__(self, frequencies: Mapping[str, int]) -> None:
        """`frequencies`: each known folded word and how common it is (ranks equal matches)."""
        self._frequencies = frequencies
        self._by_deletion: dict[str, list[str]] = {}
        # A known word of 3 letters is one edit from a typed word of 4; one of 6 two from 8.
        for word in frequencies:
            if len(word) >= MIN_TYPO_CHARS - 1:
                edits = 1 if len(word) < LONG_WORD_CHARS - _MAX_EDITS else _MAX_EDITS
                for deletion in _deletions(word[:_PREFIX_CHARS], edits):
                    self._by_deletion.setdefault(deletion, []).append(word)

    def corrections(self, word: str, *, limit: int = 5) -> list[tuple[str, int]]:
        """Known words within `allowed_edits(word)` of the word, as (word, edits): fewest
        edits first, then the more common, then alphabetical. The word itself is not one."""
        edits = allowed_edits(word)
        if edits == 0:
            return []
        candidates = {
            known
            for deletion in _deletions(word[:_PREFIX_CHARS], edits)
            for known in self._by_deletion.get(deletion, ())
        }
        found = []
        for known in candidates:
            if known != word and abs(len(known) - len(word)) <= edits:
                distance = edit_distance(word, known, edits)
                if distance <= edits:
                    found.append((known, distance))
        found.sort(key=lambda item: (item[1], -self._frequencies[item[0]], item[0]))
        return found[:limit]


def edit_distance(a: str, b: str, bound: int) -> int:
    """Optimal-string-alignment distance of a and b, or `bound + 1` once it must exceed bound.

    Only the diagonal band |i - j| <= bound of the table is filled (cells outside it are
    already over the bound), so a check costs about (bound * 2 + 1) * len(a) steps."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    over = bound + 1
    width = len(b)
    before: list[int] = []
    previous = [j if j <= bound else over for j in range(width + 1)]
    for i in range(1, len(a) + 1):
        char_a = a[i - 1]
        current = [over] * (width + 1)
        if i <= bound:
            current[0] = i
        low, high = max(1, i - bound), min(width, i + bound)
        for j in range(low, high + 1):
            char_b = b[j - 1]
            value = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char_a != char_b),
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, before[j - 2] + 1)
            current[j] = min(value, over)
        if min(current[low - 1 : high + 1]) > bound:
            return over
        before, previous = previous, current
    return previous[width]


def _deletions(word: str, edits: int) -> set[str]:
    """The word and every string it becomes with up to `edits` letters deleted."""
    found = {word}
    layer = {word}
    for _ in range(edits):
        layer = {
            shorter[:index] + shorter[index + 1 :]
            for shorter in layer
            for index in range(len(shorter))
        }
        found |= layer
    return found
