"""Serving an attachment safely: always as a download, never rendered by the browser.

Files come from strangers. Whatever their type, the answer says `Content-Disposition:
attachment` (with the sender's name, RFC 6266), forbids type sniffing and sandboxes the
response; types a browser would run (HTML, SVG, XML, JavaScript) are sent as
application/octet-stream.
"""

from __future__ import annotations

from django.http import FileResponse, Http404

from balie.channels.email.sniff import is_active_content
from balie.inbox.models import Attachment

OCTET_STREAM = "application/octet-stream"


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file of a stored attachment; 404 for a refused one (it has no file)."""
    if attachment.is_rejected or not attachment.file:
        raise Http404
    content_type = attachment.content_type or OCTET_STREAM
    if is_active_content(content_type, attachment.filename):
        content_type = OCTET_STREAM
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=content_type,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "private, no-store"
    return response
