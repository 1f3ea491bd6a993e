"""Highlighting: the words that matched, where they stand in the article as written."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from balie.knowledge.ranking import highlighting
from balie.knowledge.ranking.documents import Document
from balie.knowledge.ranking.index import SearchIndex


def test_every_form_of_a_matched_term_is_marked_as_written() -> None:
    # given
    body = "Je bestelling wordt bezorgd. De Bezorging duurt 1–2 dagen; de koerier belt aan."
    index = SearchIndex([Document(id="delivery", title="Bezorging", body=body)])
    [hit] = index.search("wanneer wordt het bezorgd?")

    # when
    spans = highlighting.spans(body, hit.matched_terms, locale="nl")

    # then
    assert [body[start:end] for start, end in spans] == ["bezorgd", "Bezorging"]


def test_a_completed_prefix_marks_the_whole_word() -> None:
    # given
    title = "Retourneren van een bestelling"
    index = SearchIndex([Document(id="returns", title=title)])
    [hit] = index.search("retou")

    # when
    spans = highlighting.spans(title, hit.matched_terms, locale="nl")

    # then
    assert [title[start:end] for start, end in spans] == ["Retourneren"]


def test_offsets_hold_for_accents_written_as_combining_marks() -> None:
    # given
    body = "Votre colis est expe\u0301die\u0301 aujourd’hui."
    index = SearchIndex([Document(id="shipping", title="Livraison", body=body, locale="fr")])
    [hit] = index.search("expédié", locale="fr")

    # when
    spans = highlighting.spans(body, hit.matched_terms, locale="fr")

    # then
    assert [body[start:end] for start, end in spans] == ["expe\u0301die\u0301"]


def test_no_terms_mark_nothing() -> None:
    # then
    assert highlighting.spans("Retourneren", [], locale="nl") == []


@given(st.text(max_size=500), st.lists(st.text(max_size=10), max_size=5))
def test_spans_are_ordered_and_inside_the_text(text: str, matched: list[str]) -> None:
    # when
    spans = highlighting.spans(text, matched, locale="nl")

    # then
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert spans == sorted(spans)
