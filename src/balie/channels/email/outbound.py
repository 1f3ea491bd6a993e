"""Building the email for an outbound message: headers that thread, text and HTML, the quote.

`build(outgoing)` returns an `EmailMessage` ready for SMTP (CRLF, 7-bit safe headers: names
and subjects outside ASCII become RFC 2047 encoded words, file names RFC 2231):

- `Message-ID` is ours (stored as the message's `external_id`), `In-Reply-To` the message it
  answers and `References` that message's references plus its id, so the customer's reply
  threads by header; the subject carries "[#REFERENCE]" for when it does not.
- multipart/alternative: the text as written, and HTML made from it (escaped, paragraphs,
  links), or the message's own sanitised HTML; the customer's last message quoted below
  ("Op … schreef …:") in both; attachments after that.
- What Balie sends by itself says so (`Auto-Submitted`, RFC 3834; `X-Auto-Response-Suppress`
  for Exchange), so well-behaved auto-responders never answer it.

Every header value is one line: line breaks and control characters in a subject or a name
become spaces before they get here, so no header can be injected.
"""

from __future__ import annotations

import datetime as dt
import secrets
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from django.utils import translation
from django.utils.formats import date_format, time_format
from django.utils.html import escape, urlize
from django.utils.translation import gettext as _

from balie.channels.email import headers

# RFC 5322 allows long References; mail programs cut them. The root and the newest ids thread.
REFERENCES_MAX = 20
_SUBJECT_MAX_CHARS = 255
_NAME_MAX_CHARS = 120
AUTO_REPLIED = "auto-replied"
AUTO_GENERATED = "auto-generated"
# Typography only (no remote resources); mail programs that ignore <style> still read it.
_STYLE = (
    "body{font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "font-size:15px;line-height:1.5;color:#14171a}"
    "blockquote{margin:1em 0 0 .8ex;border-left:2px solid #ccc;padding-left:1ex;color:#555}"
    "td a{display:inline-block;min-width:2.2em;padding:.5em .8em;border:1px solid #1a7f5a;"
    "border-radius:6px;text-align:center;text-decoration:none;font-weight:bold}"
)


@dataclass(frozen=True)
class Quote:
    """The message a reply answers, shown below it."""

    sender_name: str
    sender_address: str
    sent_at: dt.datetime
    text: str


@dataclass(frozen=True)
class OutgoingAttachment:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Outgoing:
    message_id: str  # without <>
    from_name: str
    from_address: str
    to_address: str
    subject: str
    text: str
    date: dt.datetime
    language: str = "nl"
    time_zone: str = "Europe/Amsterdam"  # the shop's, for the date in the quote line
    to_name: str = ""
    html: str = ""  # sanitised HTML of our own; blank: made from `text`
    in_reply_to: str = ""
    references: Sequence[str] = ()
    auto_submitted: str = ""  # AUTO_REPLIED or AUTO_GENERATED for what Balie sends by itself
    quote: Quote | None = None
    attachments: Sequence[OutgoingAttachment] = ()


class AddressNotSendable(ValueError):
    """An address SMTP cannot carry without SMTPUTF8 (non-ASCII before the @)."""


def message_id_new(address: str) -> str:
    """A fresh Message-ID (without <>) on the sending address's domain."""
    domain = ascii_domain(address.rpartition("@")[2]) or "balie.invalid"
    return f"balie.{secrets.token_hex(12)}@{domain}"


def ascii_domain(domain: str) -> str:
    try:
        return domain.strip().lower().encode("idna").decode("ascii")
    except UnicodeError:
        return ""


def sendable_address(address: str) -> str:
    """`address` with its domain in IDNA; raises when the local part is not ASCII."""
    local, _at, domain = address.strip().rpartition("@")
    domain = ascii_domain(domain)
    if not local or not domain or not local.isascii():
        raise AddressNotSendable(address)
    return f"{local}@{domain}"


def thread_ids(in_reply_to: str, references: Sequence[str]) -> list[str]:
    """References for a reply: the parent's references plus the parent, without ids we made
    up for mail that had none, the root and the newest kept when there are too many."""
    ids = [ref for ref in dict.fromkeys([*references, in_reply_to]) if _real_id(ref)]
    if len(ids) > REFERENCES_MAX:
        ids = [ids[0], *ids[-(REFERENCES_MAX - 1) :]]
    return ids


def _real_id(value: str) -> bool:
    return bool(value) and not value.endswith("@balie.invalid") and not value.startswith("sha256:")


def build(outgoing: Outgoing) -> EmailMessage:
    message = EmailMessage(policy=policy.SMTP)
    message["Message-ID"] = f"<{outgoing.message_id}>"
    message["Date"] = format_datetime(outgoing.date.astimezone(dt.UTC))
    message["From"] = Address(
        display_name=_one_line(outgoing.from_name, _NAME_MAX_CHARS),
        addr_spec=sendable_address(outgoing.from_address),
    )
    message["To"] = Address(
        display_name=_one_line(outgoing.to_name, _NAME_MAX_CHARS),
        addr_spec=sendable_address(outgoing.to_address),
    )
    message["Subject"] = _one_line(outgoing.subject, _SUBJECT_MAX_CHARS)
    if _real_id(outgoing.in_reply_to):
        message["In-Reply-To"] = f"<{outgoing.in_reply_to}>"
    references = thread_ids(outgoing.in_reply_to, outgoing.references)
    if references:
        message["References"] = " ".join(f"<{ref}>" for ref in references)
    if outgoing.auto_submitted:
        message["Auto-Submitted"] = outgoing.auto_submitted
        message["X-Auto-Response-Suppress"] = "All"
    with translation.override(outgoing.language):
        quote_line = _quote_line(outgoing.quote, outgoing.time_zone) if outgoing.quote else ""
    message.set_content(_text(outgoing, quote_line), cte="quoted-printable")
    message.add_alternative(_html(outgoing, quote_line), subtype="html", cte="quoted-printable")
    for attachment in outgoing.attachments:
        maintype, _slash, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.content,
            maintype=maintype or "application",
            subtype=subtype or "octet-stream",
            filename=_one_line(attachment.filename, 150) or "bijlage",
        )
    # After the bodies: setting content removes every Content-* header written before.
    message["Content-Language"] = _one_line(outgoing.language, 35) or "nl"
    return message


def _one_line(value: str, max_chars: int) -> str:
    return headers.one_line(value, max_chars=max_chars)


def _quote_line(quote: Quote, time_zone: str) -> str:
    moment = quote.sent_at.astimezone(zoneinfo.ZoneInfo(time_zone))
    name = _one_line(quote.sender_name, _NAME_MAX_CHARS)
    sender = f"{name} <{quote.sender_address}>" if name else quote.sender_address
    return _("Op %(date)s om %(time)s schreef %(sender)s:") % {
        "date": date_format(moment, "j F Y"),
        "time": time_format(moment, "G:i"),
        "sender": sender,
    }


def _text(outgoing: Outgoing, quote_line: str) -> str:
    text = "\n".join(outgoing.text.strip().splitlines())
    if outgoing.quote is None:
        return text + "\n"
    quoted = "\n".join(f"> {line}".rstrip() for line in outgoing.quote.text.strip().splitlines())
    return f"{text}\n\n{quote_line}\n{quoted}\n"


def text_to_html(text: str) -> str:
    """Plain text as safe HTML: escaped, paragraphs at blank lines, line breaks, web and mail
    addresses as links."""
    paragraphs = [part.strip("\n") for part in text.replace("\r\n", "\n").split("\n\n")]
    return "".join(
        "<p>" + urlize(part, nofollow=False, autoescape=True).replace("\n", "<br>\n") + "</p>\n"
        for part in paragraphs
        if part.strip()
    )


def _html(outgoing: Outgoing, quote_line: str) -> str:
    body = outgoing.html or text_to_html(outgoing.text.strip())
    if outgoing.quote is not None:
        body += (
            f'<div class="balie-quote"><p>{escape(quote_line)}</p>\n'
            f"<blockquote>{text_to_html(outgoing.quote.text.strip())}</blockquote></div>\n"
        )
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(outgoing.language)}"><head>'
        f'<meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f"<style>{_STYLE}</style></head>\n<body>\n{body}</body></html>\n"
    )
