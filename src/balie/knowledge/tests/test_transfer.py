from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from balie.knowledge import errors, services
from balie.knowledge.models import Article, ArticleStatus, ArticleTranslation
from balie.tenancy.models import Shop

ROWS = [
    {
        "id": "retour-aanmelden",
        "title": "Hoe meld ik een retour aan?",
        "body": "Ga naar **Mijn account**.",
        "topic": "retourneren",
        "locale": "nl",
        "tags": ["retour", "terugsturen"],
        "url_patterns": ["/account/bestellingen*"],
        "related": ["retourkosten"],
    },
    {
        "id": "retour-aanmelden-en",
        "translation_of": "retour-aanmelden",
        "title": "How do I return an item?",
        "body": "Go to **My account**.",
        "topic": "retourneren",
        "locale": "en",
        "tags": ["return"],
        "url_patterns": ["/account/bestellingen*"],
    },
    {
        "id": "retourkosten",
        "title": "Wat kost terugsturen?",
        "body": "Retourneren is gratis.",
        "topic": "retourneren",
        "locale": "nl",
        "tags": "retour|kosten",
        "url_patterns": "",
        "page_types": ["cart"],
        "status": "draft",
    },
]


def _jsonl(rows: list[dict[str, object]]) -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()


def test_a_jsonl_import_creates_articles_translations_placements_and_relations(
    shop: Shop,
) -> None:
    # when
    result = services.knowledge_import(shop=shop, content=_jsonl(ROWS), file_format="jsonl")
    # then
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    returned = Article.objects.get(key="retour-aanmelden")
    assert sorted(returned.translations.values_list("locale", flat=True)) == ["en", "nl"]
    assert [r.key for r in returned.related.all()] == ["retourkosten"]
    assert [str(p) for p in returned.placements.all()] == ["/account/bestellingen*"]
    costs = ArticleTranslation.objects.get(article__key="retourkosten")
    assert costs.status == ArticleStatus.DRAFT
    assert costs.tags == ["retour", "kosten"]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(shop: Shop) -> None:
    # given
    services.knowledge_import(shop=shop, content=_jsonl(ROWS), file_format="jsonl")
    # when
    result = services.knowledge_import(shop=shop, content=_jsonl(ROWS), file_format="jsonl")
    # then
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)


def test_a_bad_row_reports_its_line_and_changes_nothing(shop: Shop) -> None:
    # given
    content = _jsonl(ROWS[:1]) + b"{not json\n" + _jsonl([{"id": "x", "locale": "nl"}])
    # when
    with pytest.raises(errors.ImportInvalid) as raised:
        services.knowledge_import(shop=shop, content=content, file_format="jsonl")
    # then
    assert [problem.split(":")[0] for problem in raised.value.problems] == ["Regel 2", "Regel 3"]
    assert not Article.objects.exists()


def test_valid_only_imports_the_good_rows_and_still_lists_the_bad(shop: Shop) -> None:
    # given
    content = _jsonl(ROWS[:1]) + b"[1, 2]\n"
    # when
    result = services.knowledge_import(
        shop=shop, content=content, file_format="jsonl", valid_only=True
    )
    # then
    assert result.created == 1
    assert result.problems == ["Regel 2: elke regel is één JSON-object."]


def test_a_duplicate_row_in_a_file_is_a_problem(shop: Shop) -> None:
    # when
    with pytest.raises(errors.ImportInvalid) as raised:
        services.knowledge_import(shop=shop, content=_jsonl(ROWS[:1] * 2), file_format="jsonl")
    # then
    assert raised.value.problems == ["Regel 2: retour-aanmelden (nl) staat ook op regel 1."]


def test_a_csv_with_a_multiline_body_reports_the_right_line(shop: Shop) -> None:
    # given
    content = (
        b"id,title,body,topic,locale,tags,url_patterns\n"
        b'retour,Retour,"Regel een\nRegel twee",retourneren,nl,"retour, terug",/retour*\n'
        b"kapot,,Geen titel,retourneren,nl,,\n"
    )
    # when
    with pytest.raises(errors.ImportInvalid) as raised:
        services.knowledge_import(shop=shop, content=content, file_format="csv")
    # then
    assert raised.value.problems == ["Regel 4: Geef het artikel een titel."]


def test_a_csv_without_the_needed_columns_is_refused(shop: Shop) -> None:
    # when
    with pytest.raises(errors.ImportInvalid) as raised:
        services.knowledge_import(shop=shop, content=b"naam,tekst\nx,y\n", file_format="csv")
    # then
    assert raised.value.problems == ["Regel 1: kolommen ontbreken: id, title, locale."]


def test_a_file_that_is_not_utf8_names_the_line(shop: Shop) -> None:
    # when
    with pytest.raises(errors.ImportInvalid) as raised:
        services.knowledge_import(
            shop=shop, content=b'{"id": "a"}\n{"title": "caf\xe9"}\n', file_format="jsonl"
        )
    # then
    assert raised.value.problems == ["Regel 2: het bestand is geen UTF-8."]


@pytest.mark.parametrize("file_format", ["jsonl", "csv"])
def test_an_export_imports_back_into_another_shop_unchanged(
    shop: Shop, other_shop: Shop, file_format: str
) -> None:
    # given
    services.knowledge_import(shop=shop, content=_jsonl(ROWS), file_format="jsonl")
    exported = "".join(services.knowledge_export(shop=shop, file_format=file_format)).encode()
    # when
    services.knowledge_import(shop=other_shop, content=exported, file_format=file_format)
    # then
    again = "".join(services.knowledge_export(shop=other_shop, file_format=file_format))
    assert again == exported.decode()


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=400))
def test_any_bytes_give_rows_or_problems_never_an_exception(shop: Shop, content: bytes) -> None:
    for file_format in ("jsonl", "csv"):
        rows, problems = services.transfer.rows_read(content, file_format=file_format)
        assert all(problem.startswith("Regel") or problem for problem in problems)
        assert isinstance(rows, list)


def test_the_import_command_imports_and_summarises(shop: Shop, tmp_path: Path) -> None:
    # given
    path = tmp_path / "kennisbank.jsonl"
    path.write_bytes(_jsonl(ROWS))
    out = StringIO()
    # when
    call_command("import_kb", str(path), "--shop", "pollepel", stdout=out)
    # then
    assert out.getvalue().strip() == "3 nieuw, 0 gewijzigd, 0 ongewijzigd, 0 regels overgeslagen."


def test_the_import_command_lists_problems_and_fails(shop: Shop, tmp_path: Path) -> None:
    # given
    path = tmp_path / "kennisbank.csv"
    path.write_text("id,title,locale\nretour,Retour,klingon\n", encoding="utf-8")
    err = StringIO()
    # when
    with pytest.raises(CommandError):
        call_command("import_kb", str(path), "--shop", "pollepel", stderr=err)
    # then
    assert err.getvalue().startswith("Regel 2: Onbekende taalcode")
    assert not Article.objects.exists()


def test_the_export_command_writes_jsonl(shop: Shop) -> None:
    # given
    services.knowledge_import(shop=shop, content=_jsonl(ROWS[:1]), file_format="jsonl")
    out = StringIO()
    # when
    call_command("export_kb", "--shop", "pollepel", stdout=out)
    # then
    assert json.loads(out.getvalue())["id"] == "retour-aanmelden"
