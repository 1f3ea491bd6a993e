from __future__ import annotations

import io
import zipfile

import pytest

from balie.channels.email.sniff import is_active_content, sniff_content_type


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n....", "image/png"),
        (b"\xff\xd8\xff\xe0..JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (
            _zip("[Content_Types].xml", "word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            _zip("[Content_Types].xml", "xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (_zip("foto.jpg"), "application/zip"),
        (b"PK\x03\x04 kapot", "application/zip"),
        (b"\xef\xbb\xbf  <!DOCTYPE html><p>", "text/html"),
        (b"<script>alert(1)</script>", "text/html"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">', "image/svg+xml"),
        (b"\x78\x9f\x3e\x22\x01", "application/ms-tnef"),
        (b"BEGIN:VCALENDAR\r\n", "text/calendar"),
        (b"gewone tekst, \xc3\xa9\xc3\xa9n regel", "text/plain"),
    ],
)
def test_content_type_comes_from_magic_bytes(data: bytes, content_type: str) -> None:
    # when / then
    assert (
        sniff_content_type(data, declared="application/octet-stream", filename="x") == content_type
    )


def test_the_declared_type_is_the_fallback_when_it_is_well_formed() -> None:
    # when / then
    assert sniff_content_type(b"\x01\x02", declared="Audio/Basic", filename="x") == "audio/basic"
    assert sniff_content_type(b"\x01\x02", declared="image/jpg", filename="x") == "image/jpeg"
    assert (
        sniff_content_type(b"\x01\x02", declared="kapot; type", filename="x")
        == "application/octet-stream"
    )


def test_html_declared_as_an_image_is_html() -> None:
    # when / then
    assert (
        sniff_content_type(b"<html><body>", declared="image/png", filename="foto.png")
        == "text/html"
    )


@pytest.mark.parametrize(
    ("content_type", "filename", "active"),
    [
        ("text/html", "x", True),
        ("image/svg+xml", "logo", True),
        ("application/javascript", "a", True),
        ("application/octet-stream", "pagina.HTM", True),
        ("text/plain", "script.js", True),
        ("application/pdf", "factuur.pdf", False),
        ("image/png", "foto.png", False),
    ],
)
def test_files_a_browser_would_run_are_active_content(
    content_type: str, filename: str, active: bool
) -> None:
    # when / then
    assert is_active_content(content_type, filename) is active
