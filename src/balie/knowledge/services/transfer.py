"""Importing and exporting a knowledge base as JSON Lines or CSV.

One row per translation: `id, title, body, topic, locale, tags, url_patterns`, and optionally
`questions` (other ways shoppers ask for it), `status` (published by default), `internal`,
`page_types`, `categories`, `related` and `translation_of`. Rows with the same `id` (or whose `translation_of` names it) are the
languages of one article. In CSV, lists are separated by "|" (tags also by ","); in JSON Lines
they are arrays or such strings.

An import checks every row first. With any problem it changes nothing and reports each one
with its line number, unless asked to import the valid rows (`valid_only`); then it imports
those and still reports the rest. Importing the same file twice changes nothing the second
time (an unchanged translation gets no new version).

Zendesk Guide and Freshdesk exports ("zendesk", "freshdesk") are read into the same rows by
`foreign` and go through the same checks.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from balie.knowledge import errors
from balie.knowledge.models import Article, ArticleStatus, PageType
from balie.knowledge.services import articles, foreign
from balie.tenancy.models import Membership, Shop

COLUMNS = ("id", "title", "body", "topic", "locale", "tags", "url_patterns")
OPTIONAL_COLUMNS = (
    "questions",
    "status",
    "internal",
    "page_types",
    "categories",
    "related",
    "translation_of",
)
MAX_ROWS = 20_000
MAX_FILE_BYTES = 50_000_000
_TRUE = {"1", "true", "ja", "yes", "waar"}
_FALSE = {"", "0", "false", "nee", "no", "onwaar"}


@dataclass(frozen=True)
class ImportRow:
    line: int
    data: articles.ArticleInput
    url_patterns: tuple[str, ...] = ()
    page_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    related: tuple[str, ...] = ()


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)
    applied: bool = True


def import_format(name: str, content: bytes) -> str:
    """ "csv" or "jsonl", from the file name, else from the first character; JSON that reads
    as a Zendesk or Freshdesk export is "zendesk" or "freshdesk"."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return "csv"
    if lowered.endswith((".jsonl", ".ndjson", ".json")) or content.lstrip()[:1] in (b"{", b"["):
        return foreign.format_guess(content) or "jsonl"
    return "csv"


def rows_read(content: bytes, *, file_format: str) -> tuple[list[ImportRow], list[str]]:
    """Every row of the file checked: the good ones, and a problem per bad line."""
    if len(content) > MAX_FILE_BYTES:
        return [], [_("Het bestand is groter dan 50 MB.")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return [], [_("Regel %(line)s: het bestand is geen UTF-8.") % {"line": line}]
    if file_format in foreign.FORMATS:
        return foreign.rows_read(text, file_format=file_format)
    records = _csv_records(text) if file_format == "csv" else _jsonl_records(text)
    rows: list[ImportRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for line, record in records:
        if len(rows) + len(problems) >= MAX_ROWS:
            problems.append(_("Meer dan 20.000 regels: splits het bestand."))
            break
        if isinstance(record, str):
            problems.append(_("Regel %(line)s: %(problem)s") % {"line": line, "problem": record})
            continue
        row, row_problems = _row(line, record)
        if row is not None:
            key = (row.data.key, row.data.locale)
            if key in seen:
                row_problems.append(
                    _("%(id)s (%(locale)s) staat ook op regel %(other)s.")
                    % {"id": key[0], "locale": key[1], "other": seen[key]}
                )
            seen.setdefault(key, line)
        if row_problems:
            problems.extend(
                _("Regel %(line)s: %(problem)s") % {"line": line, "problem": problem}
                for problem in row_problems
            )
        elif row is not None:
            rows.append(row)
    return rows, problems


def knowledge_import(
    *,
    shop: Shop,
    content: bytes,
    file_format: str,
    valid_only: bool = False,
    author: Membership | None = None,
) -> ImportResult:
    """Import a file (see the module docstring). Raises ImportInvalid, having changed
    nothing, when a row is bad and `valid_only` is false."""
    rows, problems = rows_read(content, file_format=file_format)
    if problems and not valid_only:
        raise errors.ImportInvalid(
            _("Het bestand heeft fouten; er is niets geïmporteerd."), problems=problems
        )
    result = ImportResult(problems=problems)
    with transaction.atomic():
        existing = {
            (key, locale): version
            for key, locale, version in Article.objects.for_shop(shop).values_list(
                "key", "translations__locale", "translations__version"
            )
        }
        for row in rows:
            before = existing.get((row.data.key, row.data.locale))
            translation = articles.article_save(
                shop=shop, data=row.data, author=author, note=_("Geïmporteerd")
            )
            if before is None:
                result.created += 1
            elif translation.version != before:
                result.updated += 1
            else:
                result.unchanged += 1
        # Per article, once: the places and related articles of all its rows together (an
        # export repeats them on every language's row), related last so a row may name an
        # article further down the file.
        for key, (url_patterns, page_types, categories, related) in _per_article(rows).items():
            article = Article.objects.for_shop(shop).get(key=key)
            articles.placements_set(
                shop=shop,
                article=article,
                url_patterns=url_patterns,
                page_types=page_types,
                categories=categories,
            )
            if related:
                articles.article_related_set(shop=shop, article=article, keys=related)
    return result


def _per_article(
    rows: list[ImportRow],
) -> dict[str, tuple[list[str], list[str], list[str], list[str]]]:
    merged: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {}
    for row in rows:
        lists = merged.setdefault(row.data.key, ([], [], [], []))
        for target, values in zip(
            lists, (row.url_patterns, row.page_types, row.categories, row.related), strict=True
        ):
            target.extend(value for value in values if value not in target)
    return merged


def knowledge_export(*, shop: Shop, file_format: str) -> Iterator[str]:
    """The shop's whole knowledge base, drafts and internal articles included, as the lines
    of a file that `knowledge_import` reads back."""
    records = _export_records(shop)
    if file_format == "jsonl":
        for record in records:
            yield json.dumps(record, ensure_ascii=False) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*COLUMNS, *OPTIONAL_COLUMNS])
    writer.writeheader()
    for record in records:
        writer.writerow(
            {
                name: "|".join(value) if isinstance(value, list) else _csv_value(value)
                for name, value in record.items()
            }
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _export_records(shop: Shop) -> Iterator[dict[str, Any]]:
    queryset = (
        Article.objects.for_shop(shop)
        .select_related("topic")
        .prefetch_related("translations", "placements", "related")
        .order_by("position", "key")
    )
    for article in queryset.iterator(chunk_size=500):
        placements = list(article.placements.all())
        for translation in article.translations.all():
            yield {
                "id": article.key,
                "title": translation.title,
                "body": translation.body,
                "topic": article.topic.slug if article.topic else "",
                "locale": translation.locale,
                "tags": list(translation.tags),
                "url_patterns": [p.url_pattern for p in placements if p.url_pattern],
                "questions": list(translation.questions),
                "status": translation.status,
                "internal": article.is_internal,
                "page_types": [p.page_type for p in placements if p.page_type],
                "categories": [p.category for p in placements if p.category],
                "related": sorted(other.key for other in article.related.all()),
                "translation_of": "",
            }


def _csv_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _jsonl_records(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            yield number, _("geen geldige JSON (%(error)s).") % {"error": error}
            continue
        if not isinstance(record, dict):
            yield number, _("elke regel is één JSON-object.")
            continue
        yield number, record


def _csv_records(text: str) -> Iterator[tuple[int, dict[str, Any] | str]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), restkey="__extra__")
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        yield 1, _("de kopregel is geen geldige CSV (%(error)s).") % {"error": error}
        return
    missing = [name for name in ("id", "title", "locale") if name not in header]
    if missing:
        yield 1, _("kolommen ontbreken: %(names)s.") % {"names": ", ".join(missing)}
        return
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield reader.line_num, _("geen geldige CSV (%(error)s).") % {"error": error}
            return
        # The record's first line: a quoted body may span several lines of the file.
        line = reader.line_num - sum(str(v).count("\n") for v in record.values() if v)
        if "__extra__" in record:
            yield line, _("meer velden dan kolommen.")
            continue
        yield line, record


def _row(line: int, record: dict[str, Any]) -> tuple[ImportRow | None, list[str]]:
    problems: list[str] = []
    unknown = sorted(set(record) - set(COLUMNS) - set(OPTIONAL_COLUMNS))
    if unknown:
        problems.append(_("onbekende velden: %(names)s.") % {"names": ", ".join(unknown)})
    text = {name: _text(record.get(name)) for name in ("id", "title", "body", "topic", "locale")}
    for name, value in text.items():
        if value is None:
            problems.append(_("%(name)s moet tekst zijn.") % {"name": name})
    status = _text(record.get("status")) or ArticleStatus.PUBLISHED
    # A row without the field leaves the article as it is (another language said it).
    internal = _boolean(record["internal"]) if "internal" in record else None
    if "internal" in record and internal is None:
        problems.append(_("internal is true of false."))
    lists = {
        name: _list(record.get(name), tags=name == "tags")
        for name in ("tags", "questions", "url_patterns", "page_types", "categories", "related")
    }
    for name, items in lists.items():
        if items is None:
            problems.append(_("%(name)s moet een lijst zijn.") % {"name": name})
    if problems:
        return None, problems
    key = _text(record.get("translation_of")) or text["id"] or ""
    data = articles.ArticleInput(
        key=key,
        locale=text["locale"] or "",
        title=text["title"] or "",
        body=text["body"] or "",
        topic=text["topic"] or "",
        tags=tuple(lists["tags"] or ()),
        questions=tuple(lists["questions"] or ()),
        status=status,
        is_internal=internal,
    )
    problems = articles.article_input_problems(data)
    bad_types = [value for value in lists["page_types"] or () if value not in PageType]
    if bad_types:
        problems.append(_("onbekende soort pagina: %(names)s.") % {"names": ", ".join(bad_types)})
    return ImportRow(
        line=line,
        data=data,
        url_patterns=tuple(lists["url_patterns"] or ()),
        page_types=tuple(lists["page_types"] or ()),
        categories=tuple(lists["categories"] or ()),
        related=tuple(lists["related"] or ()),
    ), problems


def _text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    return None


def _list(value: Any, *, tags: bool) -> list[str] | None:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            return None
        return [item.strip() for item in value if item.strip()]
    if isinstance(value, str):
        separators = value.replace(",", "|") if tags else value
        return [item.strip() for item in separators.split("|") if item.strip()]
    return None
