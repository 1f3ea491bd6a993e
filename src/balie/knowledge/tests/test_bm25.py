"""BM25F's parts: rarity, field weights and saturation."""

from __future__ import annotations

from balie.knowledge.ranking import bm25


def test_a_rarer_term_weighs_more_and_none_weighs_nothing() -> None:
    # then
    assert bm25.idf(1, 1_000) > bm25.idf(10, 1_000) > bm25.idf(1_000, 1_000) > 0


def test_a_title_occurrence_counts_more_than_a_body_occurrence() -> None:
    # then
    assert bm25.field_scale("title", 3, 3.0) > bm25.field_scale("body", 300, 300.0)


def test_a_long_field_counts_an_occurrence_less_than_a_short_one() -> None:
    # then
    assert bm25.field_scale("body", 600, 300.0) < bm25.field_scale("body", 150, 300.0)


def test_repetition_saturates_below_the_terms_rarity() -> None:
    # given
    rarity = bm25.idf(1, 100)

    # when
    impacts = [bm25.impact(frequency, rarity) for frequency in (1, 2, 10, 1_000)]

    # then
    assert impacts == sorted(impacts)
    assert impacts[-1] < rarity
    assert impacts[1] - impacts[0] > impacts[3] - impacts[2]
