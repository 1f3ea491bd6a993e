"""A shop's own synonyms: groups of words its shoppers use for the same thing.

Given as data per shop (["retour", "terugsturen", "retourneren"], ["pakket", "doos"]), because
which words mean the same depends on the trade: "bon" is a receipt in one shop and a voucher in
another. Entries are analysed like articles and queries (`terms`), so "terugsturen" in a group
also covers "teruggestuurd". An entry of several words ("track en trace") contributes each of
its terms. A term found in several groups expands to the members of all of them.

The table is outside input (an admin types it), so it is capped: words past the query caps of
an entry and terms past `MAX_GROUP_TERMS` of a group are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from balie.knowledge.analysis import terms

MAX_GROUP_TERMS = 32


class SynonymTable:
    """Per language, each term of a group to the other terms of its groups."""

    def __init__(
        self,
        groups: Iterable[Iterable[str]],
        languages: Iterable[str],
        by_language: Mapping[str, Iterable[Iterable[str]]] | None = None,
    ) -> None:
        """`groups` apply in every language; `by_language` adds groups of one language only
        (the built-in lexicon: "bon" is Dutch, not English)."""
        self._expansions: dict[str, dict[str, tuple[str, ...]]] = {}
        listed = [list(group) for group in groups]
        extra = {
            language: [list(g) for g in found] for language, found in (by_language or {}).items()
        }
        for language in dict.fromkeys(languages):
            found: dict[str, dict[str, None]] = {}
            for group in [*extra.get(language, []), *listed]:
                group_terms = list(
                    dict.fromkeys(
                        term for entry in group for term in terms.text_terms(entry, language)
                    )
                )[:MAX_GROUP_TERMS]
                for term in group_terms:
                    others = found.setdefault(term, {})
                    others.update(dict.fromkeys(other for other in group_terms if other != term))
            self._expansions[language] = {term: tuple(others) for term, others in found.items()}

    def expand(self, term: str, language: str) -> tuple[str, ...]:
        """The other terms of the groups the term is in, in the order they were given."""
        return self._expansions.get(language, {}).get(term, ())
