"""SearchIndex: what ranks above what, for the help center and the assistant."""

from __future__ import annotations

import math

import pytest

from balie.knowledge.ranking.documents import Document
from balie.knowledge.ranking.index import MAX_LIMIT, SearchIndex


def _article(
    id: str,
    title: str,
    body: str = "",
    *,
    locale: str = "nl",
    topic: str = "",
    tags: tuple[str, ...] = (),
    popularity: float = 0.0,
) -> Document:
    return Document(id, title, body, topic, tags, locale, popularity)


def _ids(index: SearchIndex, query: str, *, locale: str | None = None) -> list[str]:
    return [hit.id for hit in index.search(query, locale=locale)]


def test_a_title_match_beats_a_body_match() -> None:
    # given
    index = SearchIndex(
        [
            _article("body", "Onze winkel", "Je kunt je bestelling altijd retourneren."),
            _article("title", "Retourneren", "Zo werkt het: vul het formulier in."),
        ]
    )

    # when
    ids = _ids(index, "retourneren")

    # then
    assert ids == ["title", "body"]


def test_an_exact_word_beats_the_word_a_typo_is_corrected_to() -> None:
    # given
    # one article misspells the word the shopper misspelt the same way; twenty spell it right
    articles = [_article("misspelt", "Verzendnig", "Wij versturen binnen een dag.")]
    articles += [
        _article(f"right{n:02}", "Verzending", "Wij versturen binnen een dag.") for n in range(20)
    ]
    index = SearchIndex(articles)

    # when
    hits = index.search("verzendnig", limit=3)

    # then
    assert [hit.id for hit in hits] == ["misspelt", "right00", "right01"]
    assert hits[0].normalised_score > hits[1].normalised_score


def test_a_typo_finds_the_article() -> None:
    # given
    index = SearchIndex(
        [_article("returns", "Retourneren"), _article("payment", "Betalen met iDEAL")]
    )

    # when
    ids = _ids(index, "retoruneren")

    # then
    assert ids == ["returns"]


@pytest.mark.parametrize("query", ["bezorgen", "bezorging", "bezorgd", "Bezorgde", "BEZORGT"])
def test_every_form_of_a_dutch_word_finds_the_article(query: str) -> None:
    # given
    index = SearchIndex(
        [_article("delivery", "Wanneer wordt mijn pakket bezorgd?"), _article("other", "Betalen")]
    )

    # when
    ids = _ids(index, query)

    # then
    assert ids == ["delivery"]


def test_case_and_accents_do_not_matter() -> None:
    # given
    index = SearchIndex([_article("returns", "Retourneren"), _article("belgium", "België")])

    # then
    assert _ids(index, "RETOURNEREN") == _ids(index, "retourneren") == ["returns"]
    assert _ids(index, "belgie") == _ids(index, "BELGIË") == ["belgium"]


def test_a_compound_finds_the_article_about_its_parts() -> None:
    # given
    index = SearchIndex(
        [
            _article("shipping", "Verzending en levertijden", "Wij versturen binnen een dag."),
            _article("payment", "Betalen", "Betaal met iDEAL of achteraf."),
        ]
    )

    # when
    ids = _ids(index, "verzendkosten")

    # then
    assert ids == ["shipping"]


@pytest.mark.parametrize(
    "article",
    [
        _article("returns", "Retour", "Een retour meld je aan via je account."),
        _article("returns", "Retourneren", "Je kunt binnen 30 dagen retourneren."),
    ],
)
def test_retourzending_finds_the_article_about_retour_or_retourneren(article: Document) -> None:
    # given
    index = SearchIndex([article, _article("payment", "Betalen", "Betaal met iDEAL.")])

    # when
    ids = _ids(index, "Hoe werkt een retourzending?")

    # then
    assert ids == ["returns"]


def test_a_compound_with_a_linking_s_finds_its_parts() -> None:
    # given
    index = SearchIndex(
        [
            _article("date", "De bezorging", "Je kiest zelf een datum."),
            _article("payment", "Betalen", "Betaal met iDEAL."),
        ]
    )

    # when
    ids = _ids(index, "bezorgingsdatum")

    # then
    assert ids == ["date"]


def test_a_shop_synonym_finds_the_article() -> None:
    # given
    index = SearchIndex(
        [
            _article("returns", "Retourneren", "Zo meld je een retour aan."),
            _article("pay", "Betalen"),
        ],
        synonyms=[["terugsturen", "retourneren", "retour"]],
    )

    # when
    ids = _ids(index, "terugsturen")

    # then
    assert ids == ["returns"]


def test_without_the_synonym_the_article_is_not_found() -> None:
    # given
    index = SearchIndex([_article("returns", "Retourneren"), _article("pay", "Betalen")])

    # when
    ids = _ids(index, "terugsturen")

    # then
    assert ids == []


@pytest.mark.parametrize("typed", ["ret", "reto", "retou", "retour", "retourn"])
def test_search_as_you_type_completes_the_last_word(typed: str) -> None:
    # given
    index = SearchIndex(
        [_article("returns", "Retourneren", "Binnen 30 dagen."), _article("pay", "Betalen")]
    )

    # when
    ids = _ids(index, f"hoe {typed}")

    # then
    assert ids == ["returns"]


def test_a_finished_word_is_not_completed() -> None:
    # given
    index = SearchIndex([_article("glass", "Glas en servies"), _article("pay", "Betalen")])

    # when
    typing = _ids(index, "gla")
    finished = _ids(index, "gla ")

    # then
    assert typing == ["glass"]
    assert finished == []


def test_the_locale_filters_the_articles_and_chooses_the_language() -> None:
    # given
    index = SearchIndex(
        [
            _article("nl", "Waar is mijn bestelling?", locale="nl-NL"),
            _article("en", "Where is my order?", locale="en"),
            _article("de", "Wo ist meine Bestellung?", locale="de"),
        ]
    )

    # then
    assert _ids(index, "bestelling", locale="nl") == ["nl"]
    assert _ids(index, "Bestellung", locale="de-AT") == ["de"]
    assert _ids(index, "bestelling", locale="en") == []


def test_a_question_in_a_clear_language_finds_the_article_in_it() -> None:
    # given
    index = SearchIndex(
        [
            _article("nl", "Waar is mijn pakket?", "Volg je pakket met de track-and-trace."),
            _article("en", "Where is my order?", "Follow your order with the tracking link."),
            _article("de", "Wo ist meine Bestellung?", "Verfolgen Sie Ihre Bestellung."),
            _article("fr", "Où est ma commande ?", "Suivez votre commande avec le lien."),
        ]
    )

    # then
    assert _ids(index, "waar is mijn pakket?")[0] == "nl"
    assert _ids(index, "where is my order")[0] == "en"
    assert _ids(index, "wo ist meine Bestellung")[0] == "de"
    assert _ids(index, "où est ma commande")[0] == "fr"


def test_an_index_in_one_language_reads_every_question_in_it() -> None:
    # given
    # "where" and "my" make the question look English; the shop only has Dutch articles
    index = SearchIndex([_article("delivery", "Bezorging"), _article("pay", "Betalen")])

    # when
    ids = _ids(index, "where is my bezorgde order")

    # then
    assert ids == ["delivery"]


def test_popularity_breaks_a_tie_but_does_not_beat_a_better_match() -> None:
    # given
    index = SearchIndex(
        [
            _article("a-quiet", "Retourneren", popularity=0.0),
            _article("b-popular", "Retourneren", popularity=1.0),
            _article("c-body", "Onze winkel", "Retourneren kan altijd.", popularity=1.0),
        ]
    )

    # when
    ids = _ids(index, "retourneren")

    # then
    assert ids == ["b-popular", "a-quiet", "c-body"]


def test_ties_are_ordered_by_id() -> None:
    # given
    index = SearchIndex([_article(id, "Retourneren") for id in ["c", "a", "b"]])

    # when
    ids = _ids(index, "retourneren")

    # then
    assert ids == ["a", "b", "c"]


def test_a_hit_tells_its_matched_terms_and_a_normalised_score() -> None:
    # given
    index = SearchIndex(
        [
            _article("delivery", "Bezorging", "Je pakket wordt binnen twee dagen bezorgd."),
            _article("pay", "Betalen"),
        ]
    )

    # when
    [hit] = index.search("pakket bezorgd?")

    # then
    assert hit.id == "delivery"
    assert hit.matched_terms == ("bezorg", "pakket")
    assert 0 < hit.normalised_score <= 1
    assert hit.score > 0


def test_the_normalised_score_falls_when_part_of_the_question_is_unknown() -> None:
    # given
    index = SearchIndex([_article("delivery", "Bezorging"), _article("pay", "Betalen")])

    # when
    [known] = index.search("bezorging")
    [partly] = index.search("bezorging kwantumfluctuatie")

    # then
    assert partly.normalised_score < known.normalised_score


@pytest.mark.parametrize("query", ["", "   ", "😀🎉", "?!", "de het een", "12345"])
def test_a_query_without_searchable_words_finds_nothing(query: str) -> None:
    # given
    index = SearchIndex([_article("delivery", "De bezorging")])

    # when
    hits = index.search(query)

    # then
    assert hits == []


def test_the_limit_is_respected_and_capped() -> None:
    # given
    index = SearchIndex([_article(f"{n:03}", "Retourneren") for n in range(MAX_LIMIT + 20)])

    # then
    assert len(index.search("retourneren", limit=3)) == 3
    assert len(index.search("retourneren", limit=0)) == 0
    assert len(index.search("retourneren", limit=-5)) == 0
    assert len(index.search("retourneren", limit=10_000)) == MAX_LIMIT


def test_topic_and_tags_are_searched() -> None:
    # given
    index = SearchIndex(
        [
            _article("topic", "Hoe lang duurt het?", topic="Levering"),
            _article("tags", "Hoe lang duurt het?", tags=("cadeaubon", "tegoed")),
        ]
    )

    # then
    assert _ids(index, "levering") == ["topic"]
    assert _ids(index, "tegoed") == ["tags"]


@pytest.mark.parametrize("popularity", [math.nan, -3.0, 7.0, math.inf])
def test_a_popularity_out_of_range_does_not_skew_the_ranking(popularity: float) -> None:
    # given
    index = SearchIndex(
        [_article("odd", "Retourneren", popularity=popularity), _article("plain", "Retourneren")]
    )

    # when
    hits = index.search("retourneren")

    # then
    assert all(0 < hit.normalised_score <= 1 for hit in hits)
    assert {hit.id for hit in hits} == {"odd", "plain"}


def test_an_empty_index_finds_nothing() -> None:
    # given
    index = SearchIndex([])

    # then
    assert index.search("retourneren") == []
    assert len(index) == 0
