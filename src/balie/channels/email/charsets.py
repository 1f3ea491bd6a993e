"""Bytes to text when the declared charset is wrong, unknown or missing.

Order: the declared charset, then UTF-8, then cp1252, then latin-1 (which never fails).
`iso-8859-1` labels are read as cp1252, as browsers do (WHATWG), because Windows mailers
declare latin-1 and send curly quotes and euro signs from cp1252.
"""

from __future__ import annotations

import codecs
import re

# Codecs that are text encodings to Python but never charsets of mail, and that are slow
# (punycode is quadratic) or turn escapes into other characters.
_REFUSED_CODECS = frozenset(
    {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined", "mbcs", "oem"}
)
# Labels seen in the wild that Python does not know, or knows as something narrower.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso-8859-8-i": "iso-8859-8",
    "windows-874": "cp874",
    "unicode-1-1-utf-7": "utf-7",
    "x-user-defined": "cp1252",
}
_FALLBACKS = ("utf-8", "cp1252")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def codec_name(charset: str | None) -> str | None:
    """Python's codec for a declared charset label, or None when unknown or refused."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").strip().lower()
    label = _ALIASES.get(label, label)
    if not label or len(label) > 40:
        return None
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    # Bytes-to-bytes codecs (base64, zlib, rot13) are not text encodings.
    if info.name in _REFUSED_CODECS or not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def decode_bytes(data: bytes, charset: str | None) -> tuple[str, bool]:
    """Decode `data` as text; the flag is True when the declared charset did not work.

    No charset declared and valid UTF-8 (which includes ASCII) is not a problem.
    """
    declared = codec_name(charset)
    candidates = [declared] if declared else []
    candidates += [name for name in _FALLBACKS if name != declared]
    for index, name in enumerate(candidates):
        try:
            text = data.decode(name)
        except Exception:  # noqa: S112 -- any codec error means: try the next charset
            continue
        declared_failed = bool(charset) and (declared is None or index > 0)
        undeclared_not_utf8 = not charset and name != "utf-8"
        return text, declared_failed or undeclared_not_utf8
    return data.decode("latin-1", errors="replace"), True


def clean_text(text: str) -> str:
    """Text safe to store: one newline style, no NUL/control characters or lone surrogates."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub(_replace_control, text)


def _replace_control(match: re.Match[str]) -> str:
    # Lone surrogates cannot be stored as UTF-8; the other controls are dropped.
    return "\ufffd" if "\ud800" <= match.group() <= "\udfff" else ""


def has_surrogates(text: str) -> bool:
    return _SURROGATE.search(text) is not None
