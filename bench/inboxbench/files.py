"""Small valid PDF, JPEG and PNG files of a chosen size, from a seeded `random.Random`.

The files open in a viewer (a one-page PDF with a line of text, a grey JPEG, a PNG of noise
rows); their size comes from incompressible filler, as photos and scans have.
"""

from __future__ import annotations

import random
import struct
import zlib


def pdf(rng: random.Random, *, title: str, size: int) -> bytes:
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    content = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    filler = rng.randbytes(max(0, size - 700))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        # A scan's image data stands in as an unreferenced stream: same bytes, same cost.
        b"<< /Length %d >>\nstream\n" % len(filler) + filler + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def jpeg(rng: random.Random, *, width: int, height: int, size: int) -> bytes:
    """A baseline JPEG of one grey: every 8x8 block is DC 0 with an immediate end-of-block."""

    def segment(marker: int, payload: bytes) -> bytes:
        return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload

    blocks = ((width + 7) // 8) * ((height + 7) // 8)
    # Two bits per block ("0" for DC category 0, "0" for EOB), padded with ones.
    bits = 2 * blocks
    scan = bytes(bits // 8) + (bytes([0xFF >> (bits % 8)]) if bits % 8 else b"")
    head = (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + bytes([1] * 64))
        + segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
        + segment(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00")
        + segment(0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\x00")
    )
    filler = bytearray()
    # Camera data (EXIF, thumbnails) as APP1 segments, each at most 64 KiB.
    remaining = size - len(head) - len(scan) - 20
    while remaining > 0:
        chunk = min(remaining, 65_000)
        filler += segment(0xE1, b"Exif\x00\x00" + rng.randbytes(chunk))
        remaining -= chunk + 10
    sos = segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    return head + bytes(filler) + sos + scan + b"\xff\xd9"


def png(rng: random.Random, *, width: int, height: int, size: int) -> bytes:
    """RGB rows: noise rows until the compressed data reaches `size`, flat colour after that."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row_bytes = width * 3
    noisy_rows = min(height, max(1, size // row_bytes))
    flat = b"\x00" + bytes([235, 238, 242] * width)
    raw = b"".join(b"\x00" + rng.randbytes(row_bytes) for _ in range(noisy_rows))
    raw += flat * (height - noisy_rows)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 6))
        + chunk(b"IEND", b"")
    )
