"""Serving an attachment safely: always as a download, never rendered by the browser.

Customers send anything, including HTML and SVG with scripts. Every attachment is therefore
answered with `Content-Disposition: attachment`, `X-Content-Type-Options: nosniff` and
`Content-Security-Policy: sandbox` (should a browser show it anyway, it runs nothing), and a
type that could run in a browser is sent as `application/octet-stream`. The API's download
route and the agent app's download view both answer with `attachment_response`.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.http import FileResponse, Http404

from balie.channels.email.sniff import OCTET_STREAM, is_active_content
from balie.inbox.models import Attachment

_FALLBACK_NAME = "bijlage"
# Characters a quoted-string filename must not hold, and those that confuse parsers.
_UNSAFE_IN_QUOTES = frozenset('"\\;%')


class AttachmentUnavailable(Http404):
    """The attachment exists but has no file: refused on arrival, or gone from storage."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def attachment_response(attachment: Attachment) -> FileResponse:
    """The attachment's bytes as a download with every safeguard header.

    Raises AttachmentUnavailable (a 404) when it was refused (no file kept) or its file is
    missing from storage.
    """
    if attachment.is_rejected or not attachment.file:
        raise AttachmentUnavailable(f"refused: {attachment.rejected_reason or 'no file'}")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise AttachmentUnavailable("missing from storage") from None
    response = FileResponse(handle, content_type=safe_content_type(attachment))
    response["Content-Disposition"] = content_disposition(attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    # Customers' files hold personal data: no shared cache may keep them.
    response["Cache-Control"] = "private, no-store"
    return response


def safe_content_type(attachment: Attachment) -> str:
    """The stored (sniffed) type, unless a browser could run it: then octet-stream."""
    content_type = attachment.content_type.split(";", 1)[0].strip().lower() or OCTET_STREAM
    if is_active_content(content_type, attachment.filename) or content_type.startswith(
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
