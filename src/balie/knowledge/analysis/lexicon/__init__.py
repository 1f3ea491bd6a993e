"""The built-in lexicon: synonym groups of webshop customer service per language, shipped
with Balie (`nl.txt`, `en.txt`, `de.txt`, `fr.txt`; one group per line, "#" comments).

They widen a search the way a shop's own synonyms do ("pakketje kwijt" finds "pakket niet
ontvangen"), in the group's language only, and rank below the words typed
(`ranking.query.SYNONYM`). A shop's own groups come on top of these.
"""

from __future__ import annotations

import functools
from pathlib import Path

LANGUAGES = ("nl", "en", "de", "fr")
_HERE = Path(__file__).parent


@functools.cache
def groups(language: str) -> tuple[tuple[str, ...], ...]:
    path = _HERE / f"{language}.txt"
    if language not in LANGUAGES or not path.is_file():
        return ()
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        members = tuple(member.strip() for member in line.split(",") if member.strip())
        if len(members) > 1:
            found.append(members)
    return tuple(found)


def all_groups() -> dict[str, tuple[tuple[str, ...], ...]]:
    return {language: groups(language) for language in LANGUAGES}
