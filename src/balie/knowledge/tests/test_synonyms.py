"""A shop's synonym groups, analysed like everything else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from balie.knowledge.analysis.synonyms import MAX_GROUP_TERMS, SynonymTable


def test_a_term_expands_to_the_other_terms_of_its_group() -> None:
    # given
    table = SynonymTable([["retour", "terugsturen", "retourneren"]], ["nl"])

    # when
    expanded = table.expand("terugstur", "nl")

    # then
    assert expanded == ("retour", "retourner")


def test_an_inflected_entry_covers_the_other_forms_of_its_word() -> None:
    # given
    table = SynonymTable([["Teruggestuurd", "RETOUR"]], ["nl"])

    # when
    expanded = table.expand("retour", "nl")

    # then
    assert expanded == ("terugstur",)


def test_a_term_in_two_groups_expands_to_both() -> None:
    # given
    table = SynonymTable([["pakket", "doos"], ["pakket", "zending"]], ["nl"])

    # when
    expanded = table.expand("pakket", "nl")

    # then
    assert expanded == ("dos", "zending")  # "doos" and "dozen" are both "dos"


def test_a_phrase_entry_contributes_its_terms_and_stopwords_none() -> None:
    # given
    table = SynonymTable([["track en trace", "volgcode"]], ["nl"])

    # when
    expanded = table.expand("volgcod", "nl")

    # then
    assert expanded == ("track", "trac")


def test_groups_are_per_language() -> None:
    # given
    table = SynonymTable([["return", "send back"]], ["en"])

    # then
    assert table.expand("return", "nl") == ()
    assert table.expand("return", "en") == ("send", "back")


@given(st.lists(st.lists(st.text(max_size=60), max_size=50), max_size=20), st.text(max_size=20))
def test_any_table_an_admin_types_is_accepted_and_capped(
    groups: list[list[str]], term: str
) -> None:
    # when
    table = SynonymTable(groups, ["nl", "de"])

    # then
    assert len(table.expand(term, "nl")) < MAX_GROUP_TERMS * len(groups) + 1
