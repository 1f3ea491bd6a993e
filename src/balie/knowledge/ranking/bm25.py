"""BM25F: how much an article's fields say about a term, and how rare the term is.

Fields are weighed before saturation (BM25F, not a sum of per-field BM25s), so a term in the
title and again in the body counts more than either but never more than a term that fills an
article, and a title match beats a body match of the same term.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

K1 = 1.2
B = 0.75
# The title says what an article is about; the topic, tags and the other ways to ask were
# chosen for that; the body says much else besides.
FIELD_BOOSTS: Mapping[str, float] = {
    "title": 3.0,
    "topic": 2.0,
    "tags": 2.0,
    "questions": 2.0,
    "body": 1.0,
}


def idf(document_frequency: int, documents: int) -> float:
    """Robertson–Spärck Jones with the +1 that keeps it positive for very common terms."""
    return math.log(1 + (documents - document_frequency + 0.5) / (document_frequency + 0.5))


def field_scale(field: str, length: int, average_length: float) -> float:
    """What one occurrence of a term in this field of this article counts: the field's boost,
    less for a field longer than its average. An article's weighted frequency of a term is the
    sum over its fields of scale times frequency."""
    norm = 1 - B + B * length / (average_length or 1.0)
    return FIELD_BOOSTS[field] / norm


def impact(frequency: float, term_idf: float) -> float:
    """What the term adds to the article's score: saturated frequency times rarity. Below
    `term_idf`, which is a query's best possible score per term (see `Hit.normalised_score`)."""
    return term_idf * frequency / (K1 + frequency)
