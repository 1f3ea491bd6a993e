"""Query clauses: the word itself first, its expansions weighted below it."""

from __future__ import annotations

from balie.knowledge.ranking import query
from balie.knowledge.ranking.documents import Document
from balie.knowledge.ranking.index import SearchIndex
from balie.knowledge.ranking.vocabulary import Vocabulary


def _vocabulary(*titles: str, synonyms: list[list[str]] | None = None) -> Vocabulary:
    index = SearchIndex(
        [Document(id=str(n), title=title) for n, title in enumerate(titles)],
        synonyms=synonyms or [],
    )
    return index.vocabulary


def _weights(clause: query.Clause) -> dict[str, float]:
    return {alternative.term: alternative.weight for alternative in clause.alternatives}


def test_stopwords_make_no_clause() -> None:
    # given
    vocabulary = _vocabulary("Waar is mijn pakket")

    # when
    clauses = query.parse("waar is mijn pakket?", ["nl"], vocabulary)

    # then
    assert [clause.word for clause in clauses] == ["pakket"]
    assert _weights(clauses[0]) == {"pakket": query.EXACT}


def test_expansions_weigh_less_than_the_word_itself() -> None:
    # given
    vocabulary = _vocabulary("Retourneren", "Pakket kwijt", synonyms=[["retour", "terugsturen"]])

    # when
    [clause] = query.parse("retour", ["nl"], vocabulary)

    # then
    weights = _weights(clause)
    assert weights["retour"] == query.EXACT
    assert weights["terugstur"] == query.SYNONYM
    assert weights["retourner"] == query.PREFIX  # still being typed: a prefix of "retourneren"
    assert max(weight for term, weight in weights.items() if term != "retour") < query.EXACT


def test_a_finished_word_is_derived_not_completed() -> None:
    # given
    vocabulary = _vocabulary("Retourneren")

    # when
    [clause] = query.parse("retour?", ["nl"], vocabulary)

    # then
    assert _weights(clause) == {"retour": query.EXACT, "retourner": query.DERIVED}


def test_a_typo_is_corrected_with_a_weight_by_its_edits() -> None:
    # given
    vocabulary = _vocabulary("Verzending", "Bestelling")

    # when
    one, two = query.parse("verzendign bstelilng ", ["nl"], vocabulary)

    # then
    assert _weights(one)["verzend"] == query.TYPO_WEIGHTS[1]
    assert _weights(two)["bestel"] == query.TYPO_WEIGHTS[2]


def test_a_compound_becomes_a_clause_with_parts() -> None:
    # given
    vocabulary = _vocabulary("Verzending", "Kosten")

    # when
    [clause] = query.parse("verzendkosten ", ["nl"], vocabulary)

    # then
    [compound] = clause.compounds
    assert compound.weight == query.COMPOUND
    assert [[part.term for part in parts] for parts in compound.parts] == [["verzend"], ["kost"]]


def test_a_stopword_being_typed_is_still_completed() -> None:
    # given
    vocabulary = _vocabulary("Overschrijving")

    # when
    [clause] = query.parse("over", ["nl"], vocabulary)

    # then
    assert _weights(clause) == {"overschrijf": query.PREFIX}


def test_a_word_read_in_several_languages_gets_each_stem_once() -> None:
    # given
    vocabulary = _vocabulary("Shipping")

    # when
    [clause] = query.parse("shipping ", ["nl", "en"], vocabulary)

    # then
    assert _weights(clause) == {"shipping": query.EXACT, "ship": query.EXACT}
