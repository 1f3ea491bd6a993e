"""The API contract: served at /api/openapi.json, browsable offline at /api/docs, and
compared with the committed snapshot so that every change to it is deliberate."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client

from balie.api.schema import openapi_json, openapi_schema

SNAPSHOT = Path(__file__).with_name("openapi.json")


def test_the_schema_matches_the_committed_snapshot() -> None:
    # given
    committed = json.loads(SNAPSHOT.read_text(encoding="utf-8"))

    # when
    live = json.loads(openapi_json())

    # then
    assert live == committed, (
        "The API contract changed. If that is deliberate, run `make openapi-snapshot` and "
        "commit src/balie/api/tests/openapi.json with the change."
    )


def test_export_openapi_prints_the_schema(capsys: object) -> None:
    # when
    call_command("export_openapi")
    printed = capsys.readouterr().out  # type: ignore[attr-defined]

    # then
    assert printed == openapi_json()
    assert printed.endswith("}\n")


def test_the_schema_is_served_at_api_openapi_json(client: Client, db: None) -> None:
    # when
    response = client.get("/api/openapi.json")

    # then
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Balie API"
    assert "/api/v1/customers" in response.json()["paths"]


def test_every_operation_has_an_explicit_operation_id() -> None:
    # given
    operations = [
        operation for item in openapi_schema()["paths"].values() for operation in item.values()
    ]

    # then: ninja's generated ids look like balie_customers_api_customer_list
    ids = [operation["operationId"] for operation in operations]
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)+", id_) for id_ in ids), ids
    assert not [id_ for id_ in ids if id_.startswith("balie_")]
    assert len(ids) == len(set(ids))


def test_every_operation_documents_problem_json_errors() -> None:
    # given
    schema = openapi_schema()

    # then
    for item in schema["paths"].values():
        for operation in item.values():
            default = operation["responses"]["default"]
            assert "application/problem+json" in default["content"]
    assert "Problem" in schema["components"]["schemas"]


def test_every_list_operation_answers_items_and_a_capped_count() -> None:
    # given
    schema = json.loads(openapi_json())
    lists = [
        operation
        for item in schema["paths"].values()
        for operation in item.values()
        if operation["operationId"].endswith("_list")
    ]

    # then
    assert len(lists) == 14
    for operation in lists:
        reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        paged = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
        assert set(paged["required"]) == {"items", "count", "count_exact"}


def test_the_docs_page_works_without_internet(client: Client, db: None) -> None:
    # when
    response = client.get("/api/docs")
    html = response.content.decode()

    # then: Swagger UI comes from our own static files (the django-ninja wheel), no CDN
    assert response.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in sources
    assert [source for source in sources if "//" in source] == []
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), source
