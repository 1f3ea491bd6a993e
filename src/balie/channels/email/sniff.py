"""What an attachment really is, from its first bytes; the sender's Content-Type is a fallback.

A file that a browser would run (HTML, SVG, XML, JavaScript) is "active content": whatever
its declared type, it must only ever be served as a download (`Content-Disposition:
attachment`, `X-Content-Type-Options: nosniff`), never inline.
"""

from __future__ import annotations

import io
import re
import zipfile

OCTET_STREAM = "application/octet-stream"
_MIME_TYPE = re.compile(r"[a-z0-9][a-z0-9!#$&^_.+-]{0,63}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}")
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x1f\x8b", "application/gzip"),
    (b"BZh", "application/x-bzip2"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"\x78\x9f\x3e\x22", "application/ms-tnef"),
    (b"{\\rtf", "application/rtf"),
    (b"\x7fELF", "application/x-executable"),
    (b"BEGIN:VCALENDAR", "text/calendar"),
    (b"BEGIN:VCARD", "text/vcard"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_BY_EXTENSION = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "msg": "application/vnd.ms-outlook",
}
_OOXML = (
    ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)
# WHATWG MIME sniffing: these openings make a browser render the bytes as HTML.
_HTML_OPENINGS = tuple(
    f"<{tag}".encode()
    for tag in (
        "!doctype html", "html", "head", "script", "iframe", "h1", "div", "font", "table", "a",
        "style", "title", "b", "body", "br", "p", "!--", "meta", "img", "svg", "form", "object",
        "embed",
    )
)  # fmt: skip
_TAG_END = (b" ", b">", b"\t", b"\n", b"\r", b"/")
_ACTIVE_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "image/svg+xml", "application/xml", "text/xml",
     "text/javascript", "application/javascript", "application/x-javascript",
     "application/ecmascript", "text/ecmascript", "text/x-javascript", "application/hta",
     "text/xsl", "application/xslt+xml"}
)  # fmt: skip
_ACTIVE_EXTENSIONS = frozenset(
    {"html", "htm", "shtml", "xhtml", "xht", "mht", "mhtml", "svg", "svgz", "xml", "xsl", "xslt",
     "js", "mjs", "hta"}
)  # fmt: skip
_BINARY_CONTROLS = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
_DECLARED_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "image/x-png": "image/png",
}


def sniff_content_type(data: bytes, *, declared: str, filename: str) -> str:
    """The content type from magic bytes, else the declared one if it is well-formed."""
    declared = _clean_declared(declared)
    head = data[:4096]
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "image/heic" if head[8:12] in (b"heic", b"heix", b"mif1") else "video/mp4"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_type(data)
    if head.startswith(_OLE):
        by_extension = _OLE_BY_EXTENSION.get(_extension(filename))
        return by_extension or (
            declared if declared != OCTET_STREAM else "application/x-ole-storage"
        )
    if _is_windows_executable(head):
        return "application/x-msdownload"
    return _markup_type(head) or _text_type(head, declared) or declared


def is_active_content(content_type: str, filename: str) -> bool:
    """True for files a browser would execute: serve these only as downloads."""
    return content_type in _ACTIVE_TYPES or _extension(filename) in _ACTIVE_EXTENSIONS


def _clean_declared(declared: str) -> str:
    declared = declared.strip().lower()
    declared = _DECLARED_ALIASES.get(declared, declared)
    return declared if _MIME_TYPE.fullmatch(declared) else OCTET_STREAM


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _zip_type(data: bytes) -> str:
    # OpenDocument stores its own type uncompressed as the first member, "mimetype".
    if data[30:38] == b"mimetype":
        opendocument = re.match(
            rb"application/vnd\.oasis\.opendocument\.[a-z.-]{1,40}", data[38:120]
        )
        if opendocument:
            return opendocument.group().decode("ascii")
    try:
        # Reads only the central directory; nothing is decompressed.
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except Exception:  # a damaged zip is still a zip
        return "application/zip"
    if "[Content_Types].xml" in names:
        for prefix, content_type in _OOXML:
            if any(name.startswith(prefix) for name in names):
                return content_type
    return "application/zip"


def _is_windows_executable(head: bytes) -> bool:
    if not head.startswith(b"MZ") or len(head) < 64:
        return False
    offset = int.from_bytes(head[60:64], "little")
    return head[offset : offset + 4] == b"PE\x00\x00" or b"DOS mode" in head[:512]


def _markup_type(head: bytes) -> str:
    opening = head.lstrip(b"\xef\xbb\xbf \t\r\n\f").lower()
    if opening.startswith(b"<?xml") or opening.startswith(b"<svg"):
        return "image/svg+xml" if b"<svg" in opening[:2048] else "application/xml"
    for tag in _HTML_OPENINGS:
        if opening.startswith(tag) and opening[len(tag) : len(tag) + 1] in _TAG_END:
            return "image/svg+xml" if tag == b"<svg" else "text/html"
    return ""


def _text_type(head: bytes, declared: str) -> str:
    """Plain text for untyped bytes that read as text; declared text types stay as they are."""
    if declared != OCTET_STREAM or not head or _BINARY_CONTROLS.search(head):
        return ""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off by the 4 KB window is still text.
        if error.start < len(head) - 3:
            return ""
    return "text/plain"
