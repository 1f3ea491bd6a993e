"""Importing another help desk's knowledge base: Zendesk Guide and Freshdesk exports.

Their JSON (as the desks' APIs give it, see `zendesk` and `freshdesk` for the fields) becomes
the same rows as our own JSON Lines, which `transfer.knowledge_import` checks and applies
all or nothing. An article's key is its outside id (`zendesk-360012345678`), so importing
a newer export changes the same articles; its languages are its translations, its section
or folder name its topic, its HTML body Markdown (`markup`). Problems name the line in JSON
Lines and the article's place ("Artikel 3") in a document.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from balie.knowledge.services import articles, transfer
from balie.knowledge.services.foreign import documents, freshdesk, zendesk

FORMATS = ("zendesk", "freshdesk")
# Enough of a file to recognise one whose JSON is broken by its field names.
_SNIFF_CHARS = 64_000
_FIELD = re.compile(r'(?<!\\)"(section_id|label_names|folder_id|description_text)"\s*:')


def format_guess(content: bytes) -> str | None:
    """ "zendesk" or "freshdesk" when the file reads as one's export, else None."""
    text = content.decode("utf-8-sig", errors="replace")
    value = documents.first_value(text)
    if isinstance(value, dict) and "sections" in value and "folders" not in value:
        return "zendesk"
    if isinstance(value, dict) and "folders" in value and "sections" not in value:
        return "freshdesk"
    record = documents.first_article(value)
    if record is not None:
        names = set(record)
    elif value is None:  # broken JSON: its field names still say whose it is
        names = set(_FIELD.findall(text[:_SNIFF_CHARS]))
    else:
        names = set()
    if names & {"section_id", "label_names"}:
        return "zendesk"
    if names & {"folder_id", "description_text"}:
        return "freshdesk"
    return None


def rows_read(text: str, *, file_format: str) -> tuple[list[transfer.ImportRow], list[str]]:
    """Every article of an export checked: the good rows, and a problem per bad article."""
    desk = zendesk if file_format == "zendesk" else freshdesk
    export = documents.export_read(text, lists=desk.LISTS)
    read = desk.reader(export)
    rows: list[transfer.ImportRow] = []
    problems = export.problems
    seen: dict[tuple[str, str], str] = {}
    for located in export.articles:
        if len(rows) + len(problems) >= transfer.MAX_ROWS:
            problems.append(_("Meer dan 20.000 artikelen: splits het bestand."))
            break
        data, article_problems = read(located.record) if not located.problem else (None, [])
        if data is not None:
            article_problems = articles.article_input_problems(data)
            key = (data.key, data.locale)
            if key in seen:
                article_problems.append(
                    _("%(id)s (%(locale)s) staat ook bij %(other)s.")
                    % {"id": key[0], "locale": key[1], "other": seen[key].lower()}
                )
            seen.setdefault(key, located.where)
        problems.extend(
            _("%(where)s: %(problem)s") % {"where": _name(located), "problem": problem}
            for problem in ([located.problem] if located.problem else article_problems)
        )
        if data is not None and not article_problems:
            rows.append(transfer.ImportRow(line=located.number, data=data))
    if not rows and not problems and text.strip():
        problems.append(
            _("Geen artikelen gevonden: is dit een export van %(desk)s?")
            % {"desk": file_format.capitalize()}
        )
    return rows, problems


def _name(located: documents.Located) -> str:
    """Where an article is, with its outside id when it has one: the desk shows that."""
    outside_id = located.record.get("id")
    if isinstance(outside_id, int | str) and not isinstance(outside_id, bool):
        return _("%(where)s (id %(id)s)") % {"where": located.where, "id": str(outside_id)[:40]}
    return located.where
