"""The English catalogue is whole: every Dutch string has an English one, none is a guess
(fuzzy), placeholders survive, and the compiled .mo says what the .po says."""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import balie

LOCALE = Path(balie.__file__).parent / "locale" / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(
    r"%\(\w+\)[sdr]|\{\{\s*\w+\.\w+[^}]*\}\}|%[sd]"
)  # {{ customer.first_name }}


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    context: str = ""
    msgid: str = ""
    plural: str = ""
    msgstrs: list[str] = field(default_factory=list)


def entries(text: str) -> list[Entry]:
    """The catalogue's entries (a small .po reader: enough for what makemessages writes)."""
    found: list[Entry] = []
    for block in text.split("\n\n"):
        entry, target = Entry(), ""
        parts: dict[str, list[str]] = {}
        for line in block.splitlines():
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                parts[target].append(ast.literal_eval(line))
            elif line:
                keyword, _space, rest = line.partition(" ")
                target = keyword
                parts[target] = [ast.literal_eval(rest)]
        if "msgid" not in parts:
            continue
        entry.context = "".join(parts.get("msgctxt", []))
        entry.msgid = "".join(parts["msgid"])
        entry.plural = "".join(parts.get("msgid_plural", []))
        entry.msgstrs = [
            "".join(value) for key, value in sorted(parts.items()) if key.startswith("msgstr")
        ]
        found.append(entry)
    return [entry for entry in found if entry.msgid]  # the header has an empty msgid


def test_every_string_is_translated_and_none_is_fuzzy() -> None:
    # given
    catalogue = entries((LOCALE / "django.po").read_text())

    # then
    assert len(catalogue) > 1_000
    assert [e.msgid for e in catalogue if "fuzzy" in e.flags] == []
    assert [e.msgid for e in catalogue if not all(e.msgstrs)] == []


def test_placeholders_survive_translation() -> None:
    # given
    catalogue = entries((LOCALE / "django.po").read_text())

    # then
    for entry in catalogue:
        wanted = sorted(PLACEHOLDER.findall(entry.plural or entry.msgid))
        for msgstr in entry.msgstrs:
            assert sorted(PLACEHOLDER.findall(msgstr)) == wanted or entry.plural, entry.msgid
            assert set(PLACEHOLDER.findall(msgstr)) <= set(
                PLACEHOLDER.findall(entry.msgid + entry.plural)
            ), entry.msgid


def test_the_compiled_catalogue_matches_the_source() -> None:
    # given
    catalogue = entries((LOCALE / "django.po").read_text())
    with (LOCALE / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    # then
    for entry in catalogue:
        if entry.plural and entry.context:
            got = translations.npgettext(entry.context, entry.msgid, entry.plural, 1)
        elif entry.plural:
            got = translations.ngettext(entry.msgid, entry.plural, 1)
        elif entry.context:
            got = translations.pgettext(entry.context, entry.msgid)
        else:
            got = translations.gettext(entry.msgid)
        assert got == entry.msgstrs[0], entry.msgid
