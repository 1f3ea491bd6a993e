"""Reading an export file into located article records.

A file is one JSON document (an API answer: a page of articles with its sections or
folders, a list of articles, or one article) or JSON Lines of such values (one page or
article a line, as a script that walks the pages writes them). Each article is located for
its problems: "Regel 3" in JSON Lines, "Artikel 2" in a document, whose answer from the API
is usually one long line.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from balie.knowledge.services import articles
from balie.knowledge.services.foreign import fields

# Reads one article record of a desk: our input, or what is wrong with it.
Reader = Callable[[dict[str, Any]], tuple[articles.ArticleInput | None, list[str]]]


@dataclass(frozen=True)
class Located:
    where: str  # "Regel 3", "Regel 3, artikel 2" or "Artikel 2"
    number: int  # the line in JSON Lines, else the article's place in the document
    record: dict[str, Any]
    problem: str = ""  # what makes it no article at all


@dataclass
class Export:
    articles: list[Located] = field(default_factory=list)
    lists: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # "sections": […]
    problems: list[str] = field(default_factory=list)


def export_read(text: str, *, lists: tuple[str, ...]) -> Export:
    """The articles of a file, with the side lists (`lists`, e.g. sections) of every page."""
    export = Export(lists={name: [] for name in lists})
    values, export.problems = _values(text)
    for line, value in values:
        _collect(export, line, value)
    return export


def first_value(text: str) -> Any:
    """The document, else the first line's value, else None: enough to tell a format."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    for candidate in (first, text):
        try:
            return json.loads(candidate)
        except (ValueError, RecursionError):
            continue
    return None


def first_article(value: Any) -> dict[str, Any] | None:
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    elif isinstance(value, dict) and isinstance(value.get("article"), dict):
        value = value["article"]
    if isinstance(value, list):
        value = value[0] if value else None
    return value if isinstance(value, dict) else None


def _values(text: str) -> tuple[list[tuple[int | None, Any]], list[str]]:
    if not text.strip():
        return [], []
    try:
        return [(None, json.loads(text))], []
    except (ValueError, RecursionError) as error:
        whole = error
    lines = text.splitlines()
    first = next(line for line in lines if line.strip())
    if _loads(first) is _BROKEN:  # not JSON Lines either: one document, broken here
        if isinstance(whole, json.JSONDecodeError):
            return [], [
                _("Regel %(line)s, kolom %(column)s: geen geldige JSON (%(error)s).")
                % {"line": whole.lineno, "column": whole.colno, "error": whole.msg}
            ]
        return [], [_("Regel 1: geen geldige JSON (te diep genest).")]
    values: list[tuple[int | None, Any]] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        value = _loads(line)
        if value is _BROKEN:
            problems.append(_("Regel %(line)s: geen geldige JSON.") % {"line": number})
        else:
            values.append((number, value))
    return values, problems


_BROKEN = object()


def _loads(line: str) -> Any:
    try:
        return json.loads(line)
    except (ValueError, RecursionError):
        return _BROKEN


def _collect(export: Export, line: int | None, value: Any) -> None:
    single = False
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict) and ("articles" in value or export.lists.keys() & value.keys()):
        items = value.get("articles") or []
        if not isinstance(items, list):
            export.problems.append(_where(line, fields.not_a_list("articles")))
            items = []
        for name, found in export.lists.items():
            side = value.get(name) or []
            if not isinstance(side, list):
                export.problems.append(_where(line, fields.not_a_list(name)))
                continue
            found.extend(item for item in side if isinstance(item, dict))
    elif isinstance(value, dict):
        single = True
        items = [value["article"] if isinstance(value.get("article"), dict) else value]
    else:
        problem = _("verwacht een artikel, een lijst van artikelen of een pagina van de API.")
        export.problems.append(_where(line or 1, problem))
        return
    for position, item in enumerate(items, start=1):
        where = _place(line, None if single else position)
        problem = "" if isinstance(item, dict) else _("een artikel is een JSON-object.")
        record = item if isinstance(item, dict) else {}
        export.articles.append(Located(where, line or position, record, problem))


def _place(line: int | None, position: int | None) -> str:
    if line is None:
        return _("Artikel %(number)s") % {"number": position or 1}
    if position is None:
        return _("Regel %(line)s") % {"line": line}
    return _("Regel %(line)s, artikel %(number)s") % {"line": line, "number": position}


def _where(line: int | None, problem: str) -> str:
    where = _place(line, None) if line is not None else _("Het bestand")
    return _("%(where)s: %(problem)s") % {"where": where, "problem": problem}
