"""Reading one field of another help desk's article: ids, text, lists and language codes,
each `None` when the value has the wrong type (the caller names the field in its problem)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

# Neither desk's article always says its language (Freshdesk's never does outside its
# folder path); Balie's shops write Dutch first.
DEFAULT_LOCALE = "nl"
_REGION = re.compile(r"[A-Za-z]{2}")


def key(prefix: str, value: Any) -> str | None:
    """Our key for an outside id: `zendesk-360012345678`."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return f"{prefix}-{value}"
    if isinstance(value, str) and slugify(value.strip()):
        return f"{prefix}-{slugify(value.strip())}"
    return None


def text(value: Any) -> str | None:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("\x00", "")
    return None


def strings(value: Any) -> list[str] | None:
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(dict.fromkeys(item.strip() for item in value if item.strip()))
    return None


def locale(code: str) -> str:
    """A language code as ours are written: "en-us" → "en-US", "nl_be" → "nl-BE", "nl" → "nl".
    A region we cannot write ("es-419", "zh-Hant") leaves the language alone; what is still
    not a code is returned for `article_input_problems` to refuse."""
    language, _separator, region = code.strip().replace("_", "-").partition("-")
    region = region.partition("-")[0]
    language = language.lower()
    return f"{language}-{region.upper()}" if _REGION.fullmatch(region) else language


def topic(name: Any) -> str:
    """A section's or folder's name as a topic's slug ("" when it has none)."""
    return slugify(name)[:60].strip("-") if isinstance(name, str) else ""


def not_text(name: str) -> str:
    return _("%(name)s moet tekst zijn.") % {"name": name}


def not_a_list(name: str) -> str:
    return _("%(name)s moet een lijst zijn.") % {"name": name}
