"""Splitting Dutch and German compounds into known words: "verzendkosten" → verzend + kosten.

Dutch and German write compounds as one word, and shoppers make up their own: a question about
a "retourzending" must find the article about "retour", one about "verzendkosten" the article
"Verzending en levertijden". A word is split only into parts the vocabulary knows (the index's
words and stems, plus the shop words below), with the linking letters between them that the
languages use ("bezorging-s-datum", "klant-en-service", "Liebe-s-brief"), and the last part may
carry a plural ending ("retour-zending-en").

Tiny meaningless parts are never made: every part has at least `MIN_PART_CHARS` letters and no
part is a stopword or a separable particle, so "voorwaarden" stays whole instead of becoming
voor + waarden. Of all splits the one with the fewest parts wins, then the one whose shortest
part is longest ("klanten" + "service" over "klant" + "en" + "service" is a tie on parts, won
on length).
"""

from __future__ import annotations

from collections.abc import Iterable

from balie.knowledge.analysis import stopwords

MIN_PART_CHARS = 4
MAX_PARTS = 4
# Queries are outside input: the answers remembered are bounded, or random words fill memory.
_MAX_REMEMBERED = 50_000

_LINKS = {"nl": ("", "s", "en", "e"), "de": ("", "s", "es", "en", "n", "er", "e")}
_ENDINGS = {"nl": ("", "en", "s", "e", "n"), "de": ("", "en", "e", "n", "s", "er", "es")}
# Words that begin compounds as particles, not as things: voor-waarden, über-weisung.
_NOT_PARTS = {
    "nl": frozenset(
        ["achter", "door", "mede", "onder", "over", "terug", "tussen", "voor", "vooraf"]
    ),
    "de": frozenset(["durch", "hinter", "nach", "unter", "uber", "vor", "voraus", "zuruck"]),
}
# The trade's words, so a compound splits even when the shop's articles never use its parts
# alone. Already folded.
_SHOP_WORDS = {
    "nl": """
        account adres afhaal bestelling betaal betaling bezorg bezorging bon cadeau code
        datum dienst factuur formulier garantie gegevens kaart klant klanten korting kosten
        label land lever levering locatie mand methode nummer order pakket post prijs punt
        reparatie retour schade service status sticker termijn tijd track ruil verzend
        verzending wachtwoord wagen winkel wijziging zending
    """,
    "de": """
        abhol adresse ausland bestellung code daten datum dienst etikett formular garantie
        gutschein karte konto kosten kunde kunden land liefer lieferung methode nummer paket passwort
        post preis rabatt rechnung reparatur rucksendung schaden sendung service status stelle
        umtausch versand warenkorb zahl zahlung zeit
    """,
}

LANGUAGES = frozenset(_LINKS)


class CompoundSplitter:
    """Splits the compounds of one language against a vocabulary; remembers its answers."""

    def __init__(self, vocabulary: Iterable[str], language: str) -> None:
        self.language = language
        excluded = _NOT_PARTS.get(language, frozenset()) | stopwords.STOPWORDS.get(
            language, frozenset()
        )
        known = {word for word in vocabulary if len(word) >= MIN_PART_CHARS}
        known.update(_SHOP_WORDS.get(language, "").split())
        self._known = frozenset(known - excluded)
        self._splits: dict[str, tuple[str, ...]] = {}

    def split(self, word: str) -> tuple[str, ...]:
        """The parts of a folded compound, or () when it is no compound of known words."""
        if self.language not in LANGUAGES or len(word) < 2 * MIN_PART_CHARS:
            return ()
        split = self._splits.get(word)
        if split is None:
            best = self._best_splits(word)[0]
            split = best if len(best) > 1 else ()
            if len(self._splits) >= _MAX_REMEMBERED:
                self._splits.clear()
            self._splits[word] = split
        return split

    def _best_splits(self, word: str) -> list[tuple[str, ...]]:
        """For every start position, the best split of the rest of the word (() if none),
        filled from the end so each position looks up only positions after it."""
        links = _LINKS[self.language]
        best: list[tuple[str, ...]] = [()] * (len(word) + 1)
        for start in range(len(word) - MIN_PART_CHARS, -1, -1):
            # The word itself is no split of itself, even when the vocabulary knows it.
            candidates: list[tuple[str, ...]] = [
                (part,) for part in self._last_parts(word[start:]) if start > 0
            ]
            for end in range(start + MIN_PART_CHARS, len(word) - MIN_PART_CHARS + 1):
                head = word[start:end]
                if head not in self._known:
                    continue
                for link in links:
                    rest = end + len(link)
                    if word.startswith(link, end) and best[rest] and len(best[rest]) < MAX_PARTS:
                        candidates.append((head, *best[rest]))
            if candidates:
                best[start] = min(candidates, key=lambda parts: (len(parts), -min(map(len, parts))))
        return best

    def _last_parts(self, tail: str) -> list[str]:
        """The tail itself when known, or without a plural ending ("zendingen" → "zending")."""
        found = []
        for ending in _ENDINGS[self.language]:
            if tail.endswith(ending):
                part = tail[: len(tail) - len(ending)]
                if len(part) >= MIN_PART_CHARS and part in self._known:
                    found.append(part)
        return found
