"""Attachment names that are safe to store and show, and the size limits with their reasons."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext as _

FILENAME_MAX_CHARS = 150
_EXTENSION_MAX_CHARS = 16
_MEGABYTE = 1024 * 1024
# Default extensions for unnamed parts, so a download opens in the right program.
_EXTENSIONS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/tiff": "tif",
    "image/heic": "heic",
    "image/svg+xml": "svg",
    "text/plain": "txt",
    "text/html": "html",
    "text/calendar": "ics",
    "text/vcard": "vcf",
    "text/rfc822-headers": "txt",
    "message/rfc822": "eml",
    "message/global": "eml",
    "message/delivery-status": "txt",
    "message/disposition-notification": "txt",
    "message/feedback-report": "txt",
    "application/zip": "zip",
    "application/rtf": "rtf",
    "application/ms-tnef": "dat",
    "application/pgp-signature": "asc",
    "application/pkcs7-signature": "p7s",
    "application/x-pkcs7-signature": "p7s",
}
_BAD_NAME_CHARACTERS = frozenset('<>:"/\\|?*')
# Cc: controls; Cf: bidi overrides ("factuur\u202efdp.exe") and zero-width characters;
# Cs: lone surrogates left by undecodable bytes; Co/Cn: private use and unassigned.
_BAD_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def clean_filename(name: str, *, number: int, content_type: str) -> str:
    """A file name without folders, control or direction-changing characters, of sane length.

    Unnamed parts become "bijlage-N" with an extension for their type; TNEF keeps its
    customary name "winmail.dat".
    """
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(
        " " if char.isspace() else char
        for char in name
        if char.isspace()
        or (unicodedata.category(char) not in _BAD_CATEGORIES and char not in _BAD_NAME_CHARACTERS)
    )
    name = " ".join(name.split()).strip(". ")
    if not name:
        if content_type == "application/ms-tnef":
            return "winmail.dat"
        extension = _EXTENSIONS.get(content_type)
        return f"bijlage-{number}.{extension}" if extension else f"bijlage-{number}"
    if len(name) > FILENAME_MAX_CHARS:
        stem, dot, extension = name.rpartition(".")
        if dot and stem and len(extension) <= _EXTENSION_MAX_CHARS:
            name = f"{stem[: FILENAME_MAX_CHARS - len(extension) - 1].rstrip('. ')}.{extension}"
        else:
            name = name[:FILENAME_MAX_CHARS].rstrip(". ")
    return name


def size_label(size: int) -> str:
    """Dutch notation: "31,4 MB", "25 MB", "812 kB"."""
    if size < _MEGABYTE:
        return f"{max(1, round(size / 1024))} kB"
    megabytes = f"{size / _MEGABYTE:.1f}".replace(".", ",")
    return f"{megabytes.removesuffix(',0')} MB"


def too_large_reason(*, size: int, limit: int) -> str:
    return _("te groot: %(size)s (max. %(limit)s)") % {
        "size": size_label(size),
        "limit": size_label(limit),
    }


def total_too_large_reason(*, limit: int) -> str:
    return _("te groot: de bijlagen samen zijn meer dan %(limit)s") % {"limit": size_label(limit)}
