"""Reading a mail with large attachments without walking their bytes line by line.

Python's MIME parser reads every line of a mail, also the tens of thousands of lines of a
base64 attachment, and tests each against the multipart boundaries: for the bench's mail,
two thirds of the parser's time went to the 7 % of mails with attachments. Here each large
base64 body of a multipart part is first swapped for a short placeholder, the much smaller
mail is parsed as usual, and the bodies are put back into the parts that hold their
placeholder. A base64 body has no line starting with "--", so it cannot hide a boundary:
the parser sees the same tree either way.

The result is kept only when every placeholder came back as the whole body of one part;
otherwise (a boundary the parser did not take, headers it read differently) the mail is
parsed again in full. Either way the tree is the one the full parse gives (a property test
compares both on real and broken mail).
"""

from __future__ import annotations

import itertools
import re
import secrets
from email import policy
from email.message import Message
from email.parser import BytesParser

# Below this size a mail is parsed in full: the scan would cost more than it saves.
MIN_MAIL_BYTES = 128 * 1024
MIN_BODY_BYTES = 16 * 1024
_BOUNDARY = re.compile(rb"""boundary\s*=\s*(?:"([^"\r\n]+)"|([^\s;"]+))""", re.IGNORECASE)
_BASE64_ENCODED = re.compile(
    rb"^content-transfer-encoding:[ \t]*base64[ \t]*\r?$", re.IGNORECASE | re.MULTILINE
)
_BASE64_TEXT = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n"
_HEADERS_END = re.compile(rb"\r?\n\r?\n")


def parse(data: bytes) -> Message:
    """`BytesParser(policy=compat32).parsebytes(data)`, faster for large attachments."""
    if len(data) >= MIN_MAIL_BYTES:
        reduced, bodies = _reduced(data)
        if bodies:
            message = _full(reduced)
            if _restored(message, bodies):
                return message
    return _full(data)


def _full(data: bytes) -> Message:
    return BytesParser(policy=policy.compat32).parsebytes(data)


def _reduced(data: bytes) -> tuple[bytes, dict[str, bytes]]:
    """The mail with each large base64 part body swapped for a placeholder, and the bodies
    by placeholder. Every scan is a `bytes.find` or `translate` (C speed): a regular
    expression over the attachments' bytes would cost what the line-by-line parse costs."""
    boundaries = _boundaries(data)
    if not boundaries:
        return data, {}
    starts = sorted(
        {start for boundary in boundaries for start in _lines_starting(data, b"--" + boundary)}
    )
    token = secrets.token_hex(8)
    pieces: list[bytes] = []
    bodies: dict[str, bytes] = {}
    copied = 0
    for line_start, next_start in itertools.pairwise(starts):
        part_start = data.find(b"\n", line_start, next_start) + 1
        separator = _HEADERS_END.search(data, part_start, next_start) if part_start else None
        if separator is None:
            continue
        body_start = separator.end()
        # The line break before a delimiter belongs to the delimiter, not to the body.
        body_end = next_start - 1
        if data[body_end - 1 : body_end] == b"\r":
            body_end -= 1
        if body_end - body_start < MIN_BODY_BYTES:
            continue
        if not _BASE64_ENCODED.search(data, part_start, separator.start() + 1):
            continue
        body = data[body_start:body_end]
        if body.translate(None, _BASE64_TEXT):
            continue  # something other than base64 letters and line breaks
        placeholder = f"BALIE{token}X{len(bodies)}"
        bodies[placeholder] = body
        pieces += [data[copied:body_start], placeholder.encode("ascii")]
        copied = body_end
    pieces.append(data[copied:])
    return b"".join(pieces), bodies


def _boundaries(data: bytes) -> set[bytes]:
    """Every boundary parameter in the mail (in any header: a few more only cost a scan)."""
    lowered = data.lower()
    found: set[bytes] = set()
    at = lowered.find(b"boundary")
    while at >= 0:
        match = _BOUNDARY.match(data, at)
        if match and (value := (match[1] or match[2]).strip()):
            found.add(value)
        at = lowered.find(b"boundary", at + 8)
    return found


def _lines_starting(data: bytes, prefix: bytes) -> list[int]:
    """Where each line that starts with `prefix` starts."""
    starts = [0] if data.startswith(prefix) else []
    at = data.find(b"\n" + prefix)
    while at >= 0:
        starts.append(at + 1)
        at = data.find(b"\n" + prefix, at + 1)
    return starts


def _restored(message: Message, bodies: dict[str, bytes]) -> bool:
    """Put the bodies back; False unless each placeholder was the whole body of a part."""
    found = 0
    for part in message.walk():
        payload = part.get_payload()
        if isinstance(payload, str) and payload in bodies:
            part.set_payload(bodies[payload].decode("ascii"))
            found += 1
    return found == len(bodies)
