"""Serving a stored file safely: always as a download, never rendered by the browser.

Files come from outside (customers' attachments, manuals an editor uploads) and may be HTML or
SVG with scripts. Every download is answered with `Content-Disposition: attachment`,
`X-Content-Type-Options: nosniff` and `Content-Security-Policy: sandbox` (should a browser show
it anyway, it runs nothing), and a type that could run in a browser is sent as
`application/octet-stream`. The inbox (`inbox.downloads`) and the knowledge base's attachments
both answer with `file_response`.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.core.files import File
from django.http import FileResponse, Http404

from balie.channels.email.sniff import OCTET_STREAM, is_active_content

_FALLBACK_NAME = "bijlage"
# Characters a quoted-string filename must not hold, and those that confuse parsers.
_UNSAFE_IN_QUOTES = frozenset('"\\;%')


class FileUnavailable(Http404):
    """The row exists but its file does not: refused on arrival, or gone from storage."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def file_response(
    *, file: File[bytes] | None, filename: str, content_type: str, private: bool = True
) -> FileResponse:
    """The file as a download with every safeguard header. `private`: personal data that no
    shared cache may keep; else a public file (a manual) that caches may keep a day.
    Raises FileUnavailable (a 404) when there is no file or it is missing from storage."""
    if not file:
        raise FileUnavailable("no file")
    try:
        handle = file.open("rb")
    except (FileNotFoundError, OSError):
        raise FileUnavailable("missing from storage") from None
    response = FileResponse(handle, content_type=safe_content_type(content_type, filename))
    response["Content-Disposition"] = content_disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store" if private else "public, max-age=86400"
    return response


def safe_content_type(content_type: str, filename: str) -> str:
    """The stored (sniffed) type, unless a browser could run it: then octet-stream."""
    content_type = content_type.split(";", 1)[0].strip().lower() or OCTET_STREAM
    if is_active_content(content_type, filename) or content_type.startswith(
        ("text/html", "multipart/")
    ):
        return OCTET_STREAM
    return content_type


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII `filename` for old clients and the exact name as
    `filename*` (RFC 6266 with RFC 5987 encoding), which current browsers prefer."""
    name = "".join(char for char in filename if unicodedata.category(char)[0] != "C").strip()
    name = name or _FALLBACK_NAME
    ascii_name = _ascii_fallback(name)
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def _ascii_fallback(name: str) -> str:
    """ "Factuur één.pdf" -> "Factuur een.pdf"; nothing left of the stem -> "bijlage.pdf"."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_name = "".join(
        "_" if char in _UNSAFE_IN_QUOTES else char
        for char in decomposed
        if char.isascii() and char.isprintable()
    ).strip()
    stem, dot, _extension = ascii_name.rpartition(".")
    if not ascii_name or (dot and not stem.strip("._ ")) or not ascii_name.strip("._ "):
        original_extension = name.rpartition(".")[2] if "." in name else ""
        safe_extension = "".join(
            char for char in original_extension if char.isascii() and char.isalnum()
        )
        return f"{_FALLBACK_NAME}.{safe_extension}" if safe_extension else _FALLBACK_NAME
    return ascii_name
