"""The MIME tree of one mail: text and HTML bodies, and everything else as attachments.

Forwarded mails (message/rfc822) and delivery reports stay whole as attachments; TNEF
(winmail.dat) is kept as it is. A multipart whose boundary the strict parser misread is split
again with a lenient reading; one whose boundary never appears is read as plain text.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from email import errors, policy
from email.generator import BytesGenerator
from email.message import Message
from email.parser import BytesParser

from django.utils.translation import gettext as _

from balie.channels.email import attachments, charsets, headers, sniff
from balie.channels.email.html_text import html_to_text
from balie.inbox.inbound import InboundAttachment

logger = logging.getLogger(__name__)

MAX_MIME_DEPTH = 40
MAX_MIME_PARTS = 1_000
_BODY_TYPES = ("text/plain", "text/html")
_BROKEN_STRUCTURE = (
    errors.StartBoundaryNotFoundDefect,
    errors.CloseBoundaryNotFoundDefect,
    errors.MultipartInvariantViolationDefect,
    errors.FirstHeaderLineIsContinuationDefect,
    errors.MisplacedEnvelopeHeaderDefect,
)
_BROKEN_ENCODING = (
    errors.InvalidBase64PaddingDefect,
    errors.InvalidBase64CharactersDefect,
    errors.InvalidBase64LengthDefect,
)
_LENIENT_BOUNDARY = re.compile(r"""boundary\s*=\s*("[^"]+"|[^\s;]+)""", re.IGNORECASE)
_ENCLOSED_SUBJECT_RAW_MAX_CHARS = 16_384
_CONTENT_ID_MAX_CHARS = 250


@dataclass(frozen=True)
class Limits:
    attachment: int
    total: int


@dataclass
class Warnings:
    items: list[str] = field(default_factory=list)

    def add(self, warning: str) -> None:
        if warning not in self.items:
            self.items.append(warning)


def safely[T](read: Callable[[], T], default: T) -> T:
    try:
        return read()
    except Exception:  # one unreadable MIME header must not lose the whole mail
        return default


def part_content_type(part: Message) -> str:
    return safely(part.get_content_type, "") or safely(part.get_default_type, "text/plain")


class Body:
    """Walks the MIME tree once: text and HTML bodies, everything else as attachments."""

    def __init__(self, *, limits: Limits, warnings: Warnings) -> None:
        self.limits = limits
        self.warnings = warnings
        self.plain: list[str] = []
        self.markup: list[str] = []
        self.attachments: list[InboundAttachment] = []
        self.kept_bytes = 0

    def text(self) -> str:
        plain = "\n\n".join(text for text in self.plain if text.strip())
        if plain.strip():
            return plain
        return html_to_text(self.html()) if self.markup else ""

    def html(self) -> str:
        return "\n".join(markup for markup in self.markup if markup.strip())

    def collect(self, message: Message) -> None:
        stack: list[tuple[Message, int]] = [(message, 0)]
        parts = 0
        while stack:
            part, depth = stack.pop()
            parts += 1
            if parts > MAX_MIME_PARTS:
                self.warnings.add(_("Deze e-mail heeft te veel onderdelen; niet alles is gelezen."))
                return
            self._note_defects(part)
            content_type = part_content_type(part)
            payload = part.get_payload()
            if content_type.startswith("multipart/") and not isinstance(payload, list):
                repaired = _with_lenient_boundary(part)
                if repaired is not None:
                    part, payload = repaired, repaired.get_payload()
            # A whole mail sent as message/rfc822 is read as that mail; every other message/*
            # (a forwarded mail inside, a delivery report) is kept whole as an attachment.
            enclosing = depth == 0 and content_type in ("message/rfc822", "message/global")
            if isinstance(payload, list) and (enclosing or not content_type.startswith("message/")):
                if depth >= MAX_MIME_DEPTH:
                    self.warnings.add(_("Deze e-mail is te diep genest; niet alles is gelezen."))
                    continue
                children = [child for child in payload if isinstance(child, Message)]
                stack.extend((child, depth + 1) for child in reversed(children))
                continue
            self._leaf(part, content_type)

    def _note_defects(self, part: Message) -> None:
        defects = getattr(part, "defects", [])
        if any(isinstance(defect, _BROKEN_STRUCTURE) for defect in defects):
            self.warnings.add(
                _("De opbouw (MIME) van deze e-mail is beschadigd; controleer tekst en bijlagen.")
            )
        if any(isinstance(defect, _BROKEN_ENCODING) for defect in defects):
            self.warnings.add(_("Een deel van deze e-mail was niet goed gecodeerd (base64)."))

    def _leaf(self, part: Message, content_type: str) -> None:
        disposition = safely(part.get_content_disposition, None)
        filename = _filename(part)
        if content_type.startswith("message/"):
            self._attach(
                part,
                content_type,
                _message_bytes(part, self.warnings),
                filename or _enclosed_subject(part),
            )
        elif content_type.startswith("multipart/"):
            # A multipart whose boundary never appears: its body is one unsplit text.
            self.warnings.add(
                _("De opbouw (MIME) van deze e-mail is beschadigd; controleer tekst en bijlagen.")
            )
            self.plain.append(self._decoded_text(part))
        elif content_type in _BODY_TYPES and disposition != "attachment" and not filename:
            target = self.plain if content_type == "text/plain" else self.markup
            target.append(self._decoded_text(part))
        else:
            self._attach(part, content_type, _payload_bytes(part), filename)

    def _decoded_text(self, part: Message) -> str:
        charset = safely(part.get_content_charset, None)
        text, problem = charsets.decode_bytes(_payload_bytes(part), charset)
        if problem:
            self.warnings.add(
                _(
                    "De tekenset van de tekst klopte niet of ontbrak; sommige tekens kunnen verkeerd staan."
                )
            )
        return charsets.clean_text(text)

    def _attach(self, part: Message, content_type: str, data: bytes, filename: str) -> None:
        if not data and not filename:
            return  # an empty, unnamed part carries nothing
        number = len(self.attachments) + 1
        if not content_type.startswith("message/"):
            content_type = sniff.sniff_content_type(data, declared=content_type, filename=filename)
        name = attachments.clean_filename(filename, number=number, content_type=content_type)
        if content_type in ("message/rfc822", "message/global") and "." not in name:
            name = f"{name[: attachments.FILENAME_MAX_CHARS - 4]}.eml"
        reason = ""
        if len(data) > self.limits.attachment:
            reason = attachments.too_large_reason(size=len(data), limit=self.limits.attachment)
        elif self.kept_bytes + len(data) > self.limits.total:
            reason = attachments.total_too_large_reason(limit=self.limits.total)
        else:
            self.kept_bytes += len(data)
        self.attachments.append(
            InboundAttachment(
                filename=name,
                content_type=content_type,
                content=b"" if reason else data,
                rejected_reason=reason,
                content_id=_content_id(part),
            )
        )


def _with_lenient_boundary(part: Message) -> Message | None:
    """The part split again by a boundary the strict parser misread, if one is there.

    Outlook Express writes unquoted boundaries with "=" in them
    (`boundary=----=_NextPart_000_…`), which the parameter parser cuts short.
    """
    raw_type = next(
        (str(value) for name, value in part.raw_items() if str(name).lower() == "content-type"), ""
    )
    match = _LENIENT_BOUNDARY.search(headers.unfold(raw_type))
    body = _payload_bytes(part)
    if not match:
        return None
    boundary = match.group(1).strip().strip('"')
    if not boundary or boundary == safely(part.get_boundary, None):
        return None
    if b"--" + boundary.encode("utf-8", errors="surrogateescape") not in body:
        return None
    subtype = part_content_type(part).partition("/")[2] or "mixed"
    head = f'Content-Type: multipart/{subtype}; boundary="{boundary}"\r\n\r\n'
    try:
        repaired = BytesParser(policy=part.policy).parsebytes(
            head.encode("utf-8", errors="surrogateescape") + body
        )
    except Exception:  # no repair then; the text is kept as it is
        return None
    return repaired if isinstance(repaired.get_payload(), list) else None


def _content_id(part: Message) -> str:
    """Content-ID without <>, so the inbox can match "cid:…" in the HTML to the image."""
    raw = next(
        (str(value) for name, value in part.raw_items() if str(name).lower() == "content-id"), ""
    )
    text, _non_utf8 = headers.header_text(raw[:1_000])
    content_id = headers.one_line(text, max_chars=1_000).strip("<> ")
    return content_id if content_id and len(content_id) <= _CONTENT_ID_MAX_CHARS else ""


def _payload_bytes(part: Message) -> bytes:
    data = safely(lambda: part.get_payload(decode=True), None)
    return data if isinstance(data, bytes) else b""


def _filename(part: Message) -> str:
    """The attachment's name: RFC 2231 and (non-standard but common) RFC 2047 decoded, raw
    8-bit names read as UTF-8 (or Latin-1), unquoted names with spaces or tspecials
    (filename=This is a test.txt, filename==?utf-8?B?…?=) kept whole."""
    legacy = Message(policy=policy.compat32)
    for header, value in part.raw_items():
        if str(header).lower() in ("content-disposition", "content-type"):
            # Decoded first: compat32 would read raw 8-bit bytes as unknown characters.
            text, _non_utf8 = headers.header_text(str(value)[:4_000])
            legacy[str(header)] = text
    name = safely(legacy.get_filename, None)
    if not name:
        return ""
    return headers.decode_words(str(name)[:2_000])


def _enclosed_subject(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        raw = {str(name).lower(): str(value) for name, value in payload[0].raw_items()}.get(
            "subject", ""
        )
        subject, _non_utf8 = headers.decode_unstructured(raw[:_ENCLOSED_SUBJECT_RAW_MAX_CHARS])
        return headers.one_line(subject, max_chars=attachments.FILENAME_MAX_CHARS)
    return ""


def _message_bytes(part: Message, found: Warnings) -> bytes:
    """A message/* part's body as bytes: a forwarded mail becomes a .eml file."""
    payload = part.get_payload()
    if not isinstance(payload, list):
        return _payload_bytes(part)
    try:
        buffer = io.BytesIO()
        # compat32 writes the headers back as they arrived instead of re-folding them.
        generator = BytesGenerator(buffer, mangle_from_=False, policy=policy.compat32)
        for enclosed in payload:
            if isinstance(enclosed, Message):
                generator.flatten(enclosed)
        return buffer.getvalue()
    except Exception:  # an enclosure that cannot be written is reported, not fatal
        logger.warning("Enclosed message could not be written", exc_info=True)
        found.add(_("Een doorgestuurd bericht in deze e-mail kon niet worden bewaard."))
        return b""
