"""Raw RFC 822 bytes for tests, written out by hand so broken input stays broken."""

from __future__ import annotations

import base64


def raw_mail(
    *headers: str, body: str | bytes = "Hallo,\n\nWaar blijft mijn pakket?\n", crlf: bool = True
) -> bytes:
    """Header lines as given, a blank line, the body; nothing is encoded or repaired."""
    default = (
        "From: Anna de Vries <Anna@Voorbeeld.NL>",
        "To: service@pollepel.nl",
        "Subject: Waar is mijn bestelling?",
        "Date: Tue, 04 Mar 2025 10:15:00 +0100",
        "Message-ID: <bestelling-123@voorbeeld.nl>",
    )
    lines = list(headers) if headers else list(default)
    newline = b"\r\n" if crlf else b"\n"
    head = newline.join(line.encode("utf-8", errors="surrogateescape") for line in lines)
    data = (
        body
        if isinstance(body, bytes)
        else body.replace("\n", "\r\n" if crlf else "\n").encode("utf-8")
    )
    return head + newline + newline + data


def multipart(boundary: str, *parts: bytes, subtype: str = "mixed") -> tuple[str, bytes]:
    """(Content-Type header line, body) for a multipart of already-built parts."""
    body = b"".join(b"--" + boundary.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    body += b"--" + boundary.encode() + b"--\r\n"
    return f'Content-Type: multipart/{subtype}; boundary="{boundary}"', body


def part(*headers: str, body: bytes) -> bytes:
    return "\r\n".join(headers).encode("utf-8") + b"\r\n\r\n" + body


def base64_part(*headers: str, content: bytes) -> bytes:
    encoded = base64.encodebytes(content)
    return part(*headers, "Content-Transfer-Encoding: base64", body=encoded)
