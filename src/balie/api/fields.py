"""Field types shared by the API schemas for text that comes from outside.

Text is stored as sent and escaped only where it is rendered; what is refused is what no
name or address ever holds and what some databases cannot store: control characters (NUL
breaks PostgreSQL, ESC sequences rewrite terminals and logs) and lone UTF-16 surrogates
(not encodable as UTF-8).
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator

_REFUSED_CATEGORIES = frozenset({"Cc", "Cs"})


def _single_line(value: str) -> str:
    for char in value:
        if unicodedata.category(char) in _REFUSED_CATEGORIES:
            raise ValueError(f"must not contain control characters (found U+{ord(char):04X})")
    return value


SingleLineText = Annotated[str, AfterValidator(_single_line)]
