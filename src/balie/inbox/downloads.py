"""Serving an inbox attachment: through `core.downloads`, always as a download with every
safeguard header; a refused attachment (kept as a row without its file) is a 404 that says so.
"""

from __future__ import annotations

from django.http import FileResponse

from balie.core.downloads import FileUnavailable, content_disposition, file_response
from balie.inbox.models import Attachment

__all__ = ["AttachmentUnavailable", "attachment_response", "content_disposition"]
AttachmentUnavailable = FileUnavailable


def attachment_response(attachment: Attachment) -> FileResponse:
    """The attachment's bytes as a download; a customer's file, so never cached.

    Raises AttachmentUnavailable (a 404) when it was refused (no file kept) or its file is
    missing from storage.
    """
    if attachment.is_rejected:
        raise AttachmentUnavailable(f"refused: {attachment.rejected_reason or 'no file'}")
    return file_response(
        file=attachment.file, filename=attachment.filename, content_type=attachment.content_type
    )
