"""Raw RFC 822 bytes to an `InboundMessage`, for any bytes at all.

`parse_email` never raises: the MIME tree is read with the `compat32` policy; if that fails, the
headers alone are read; if that fails too, an empty message with the original bytes and a
warning is returned. `compat32`, not `policy.default`: the modern policy builds a parsed header
object on every header read (the parser itself reads Content-Type several times per part),
which was two thirds of the parsing time, and this module reads headers raw anyway and decodes
them itself (`headers`), which also survives 8-bit bytes and broken encoded words. Everything the parser survives (bad charsets, broken MIME, oversized
attachments) is kept and listed in `parse_warnings` for the agent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from email import policy
from email.message import Message
from email.parser import BytesParser

from django.utils.translation import gettext as _

from balie.channels.email import automated, headers, large_parts, mime
from balie.inbox.inbound import InboundMessage

logger = logging.getLogger(__name__)

MAX_RECIPIENTS = 1_000
MAX_REFERENCES = 100
SUBJECT_MAX_CHARS = 998
NAME_MAX_CHARS = 200
# Raw header characters read at most; the rest of a 200 KB subject is noise.
_SUBJECT_RAW_MAX_CHARS = 16_384
_ADDRESS_HEADER_RAW_MAX_CHARS = 256_000
_OTHER_HEADER_RAW_MAX_CHARS = 16_384


def parse_email(
    raw: bytes,
    *,
    max_attachment_bytes: int = 25 * 1024 * 1024,
    max_total_bytes: int = 50 * 1024 * 1024,
) -> InboundMessage:
    """Read one email. Never raises; `raw` is kept on the result for audit."""
    try:
        data = bytes(raw)
    except Exception:  # not bytes-like: read as an empty mail
        data = b""
    limits = mime.Limits(attachment=max_attachment_bytes, total=max_total_bytes)
    try:
        return _read(data, limits=limits, warnings=[])
    except Exception:  # retried below for the headers alone
        logger.warning("Email body unreadable", extra={"bytes": len(data)}, exc_info=True)
    try:
        # The MIME tree defeats the parser (it recurses once per nesting level); the headers
        # alone still thread the mail and name its sender.
        body_lost = _(
            "De inhoud van deze e-mail kon niet worden gelezen; het origineel is bewaard."
        )
        return _read(data, limits=limits, warnings=[body_lost], headers_only=True)
    except Exception:  # nothing may crash the poller; the original bytes are kept
        logger.exception("Email unreadable", extra={"bytes": len(data)})
    return InboundMessage(
        channel="email",
        external_id=_generated_id(data),
        sender_address="",
        parse_warnings=(_("Deze e-mail kon niet worden gelezen; het origineel is bewaard."),),
        raw=data,
    )


def _read(
    data: bytes, *, limits: mime.Limits, warnings: list[str], headers_only: bool = False
) -> InboundMessage:
    message = (
        BytesParser(policy=policy.compat32).parsebytes(data, headersonly=True)
        if headers_only
        else large_parts.parse(data)
    )
    found = mime.Warnings(list(warnings))
    top = _first_headers(message)
    hint = None if headers_only else _body_charset(message)
    sender_name, sender_written, sender_address = _sender(top.get("from", ""), hint, found)
    subject = _subject(top.get("subject", ""), hint, found)
    body = mime.Body(limits=limits, warnings=found)
    if not headers_only:
        body.collect(message)
    message_ids = headers.parse_msg_ids(top.get("message-id", "")[:_OTHER_HEADER_RAW_MAX_CHARS])
    in_reply_to = headers.parse_msg_ids(top.get("in-reply-to", "")[:_OTHER_HEADER_RAW_MAX_CHARS])
    reason = automated.automated_reason(
        headers={
            name: _header_line(value)
            for name, value in top.items()
            if name in automated.HEADER_NAMES
        },
        sender=sender_written,
        subject=subject,
        content_type=mime.part_content_type(message),
    )
    return InboundMessage(
        channel="email",
        external_id=message_ids[0] if message_ids else _generated_id(data),
        sender_address=sender_address,
        sender_name=sender_name,
        subject=subject,
        text=body.text(),
        html=body.html(),
        sent_at=_sent_at(top.get("date"), found),
        in_reply_to=in_reply_to[0] if in_reply_to else "",
        references=_references(top.get("references", "")),
        recipients=_recipients(top, found),
        attachments=tuple(body.attachments),
        is_automated=bool(reason),
        automated_reason=reason,
        language=headers.parse_language(top.get("content-language", "")[:1_000]),
        parse_warnings=tuple(found.items),
        raw=data,
    )


def _generated_id(data: bytes) -> str:
    return f"generated-{hashlib.sha256(data).hexdigest()}@balie.invalid"


def _first_headers(message: Message) -> dict[str, str]:
    """Lower-cased name -> first raw value, unfolded, 8-bit bytes decoded."""
    first: dict[str, str] = {}
    for name, value in message.raw_items():
        key = str(name).strip().lower()
        if key not in first:
            first[key] = str(value)
    return first


def _body_charset(message: Message) -> str | None:
    """The first declared body charset: the best guess for raw 8-bit bytes in headers."""
    for index, part in enumerate(message.walk()):
        charset = mime.safely(part.get_content_charset, None)
        if charset or index > 10:
            return charset
    return None


def _header_line(raw: str) -> str:
    text, _non_utf8 = headers.header_text(raw[:1_000])
    return headers.one_line(text, max_chars=1_000)


def _sender(raw: str, hint: str | None, found: mime.Warnings) -> tuple[str, str, str]:
    """(display name, address as written, normalized address or "")."""
    raw = raw[:_OTHER_HEADER_RAW_MAX_CHARS]
    pairs = headers.parse_addresses(raw, charset=hint) if raw.strip() else []
    name, written = pairs[0] if pairs else ("", "")
    address = headers.normalize_address(written)
    if not address:
        found.add(_("De afzender ontbreekt of is onleesbaar."))
    if headers.header_text(raw)[1]:
        found.add(_("De kopregels bevatten tekens in een onbekende tekenset."))
    return headers.one_line(name, max_chars=NAME_MAX_CHARS), written, address


def _subject(raw: str, hint: str | None, found: mime.Warnings) -> str:
    if len(raw) > _SUBJECT_RAW_MAX_CHARS:
        cut = raw[:_SUBJECT_RAW_MAX_CHARS]
        raw = cut.rsplit(None, 1)[0] if " " in cut or "\n" in cut else cut
        found.add(_("Het onderwerp was erg lang en is ingekort."))
    subject, non_utf8 = headers.decode_unstructured(raw, charset=hint)
    if non_utf8:
        found.add(_("De kopregels bevatten tekens in een onbekende tekenset."))
    return headers.one_line(subject, max_chars=SUBJECT_MAX_CHARS)


def _sent_at(raw: str | None, found: mime.Warnings) -> dt.datetime | None:
    if raw is None:
        return None
    sent_at = headers.parse_date(raw[:_OTHER_HEADER_RAW_MAX_CHARS])
    if sent_at is None:
        found.add(_("De verzenddatum is onleesbaar."))
    return sent_at


def _references(raw: str) -> tuple[str, ...]:
    ids = headers.parse_msg_ids(raw[:_ADDRESS_HEADER_RAW_MAX_CHARS])
    if len(ids) > MAX_REFERENCES:
        # RFC 5322 3.6.4: the first id is the thread's root, the last ones its recent past.
        ids = [ids[0], *ids[-(MAX_REFERENCES - 1) :]]
    return tuple(ids)


def _recipients(top: dict[str, str], found: mime.Warnings) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for name in ("to", "cc"):
        raw = top.get(name, "")
        if len(raw) > _ADDRESS_HEADER_RAW_MAX_CHARS:
            raw = raw[:_ADDRESS_HEADER_RAW_MAX_CHARS].rsplit(",", 1)[0]
            found.add(
                _("Meer dan %(count)s ontvangers; alleen de eerste %(count)s zijn bewaard.")
                % {"count": "1.000"}
            )
        for _name, written in headers.parse_addresses(raw) if raw.strip() else []:
            address = headers.normalize_address(written)
            if address:
                seen.setdefault(address, None)
    if len(seen) > MAX_RECIPIENTS:
        found.add(
            _("Meer dan %(count)s ontvangers; alleen de eerste %(count)s zijn bewaard.")
            % {"count": "1.000"}
        )
    return tuple(seen)[:MAX_RECIPIENTS]
