"""What goes into the index and what comes out of a search."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Document:
    """An article as the index sees it. `id` is a string so ties sort the same way whatever
    the store's keys are; `popularity` is 0..1 (views, helpful votes: the caller decides)."""

    id: str
    title: str
    body: str = ""
    topic: str = ""
    tags: tuple[str, ...] = ()
    locale: str = "nl"
    popularity: float = 0.0
    # Other ways shoppers ask for it ("ook gevraagd als"), written by the shop.
    questions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    """One ranked article. `score` orders the hits of one query; `normalised_score` (0..1) is
    the share of the query's best possible score that the article reached, comparable across
    queries, for the assistant to calibrate a "confident enough to answer" threshold on.
    `matched_terms` are the index terms the article matched, for `highlighting.spans`."""

    id: str
    score: float
    normalised_score: float
    matched_terms: tuple[str, ...]


def language_of(locale: str) -> str:
    """The language a locale's text is analysed in: "nl-BE" and "nl_NL" are "nl". A language
    without a stemmer keeps its code and gets folding and typos but no stemming."""
    return locale.replace("_", "-").split("-", 1)[0].strip().lower()
