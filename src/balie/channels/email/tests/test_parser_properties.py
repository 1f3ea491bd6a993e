"""Property tests: whatever bytes arrive, `parse_email` returns a message that can be stored."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from balie.channels.email.html_text import html_to_text
from balie.channels.email.parser import MAX_RECIPIENTS, parse_email
from balie.channels.email.tests.raw_mail import base64_part, multipart, part, raw_mail
from balie.core.tests import corpora
from balie.inbox.inbound import InboundMessage

CORPUS = corpora.EMAILS
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_MIXED_HEADER, _MIXED_BODY = multipart(
    "grens",
    part("Content-Type: text/plain; charset=cp1252", body="één".encode("cp1252")),
    part("Content-Type: text/html", body=b"<p>Hoi<script>x()</script></p>"),
    base64_part("Content-Type: application/pdf; name*=utf-8''f%C3%A9.pdf", content=b"%PDF-1.4 x"),
    part("Content-Type: message/rfc822", body=b"From: b@c.nl\r\nSubject: Fwd\r\n\r\nDoorgestuurd"),
)
_OWN_SEEDS = (
    raw_mail(),
    raw_mail(
        "From: =?utf-8?q?Jan_=C3=A9?= <jan@voorbeeld.nl>",
        "Subject: =?iso-8859-1?q?Caf=E9?=",
        _MIXED_HEADER,
        body=_MIXED_BODY,
    ),
)
# Small files only, so shrinking and each example stay quick.
_SEEDS = _OWN_SEEDS + tuple(
    path.read_bytes()
    for path in sorted(CORPUS.glob("*"))
    if CORPUS.is_dir() and path.is_file() and path.stat().st_size <= 16_384
)
_NASTY = (
    b"\r\n", b"\n\n", b"\r\n\r\n", b"=?utf-8?b?", b"=?x?q?", b"?=", b"--", b"--grens--", b"boundary=",
    b"Content-Type: multipart/mixed; boundary=grens\r\n", b"Content-Type: message/rfc822\r\n",
    b"charset=punycode", b"charset=utf-16", b"\x00", b"\xff\xfe", b"\xc3", b"<script>", b"<a ",
    b"filename*=utf-8''%2e%2e%2F", b"Content-Transfer-Encoding: base64\r\n", b"Content-Transfer-Encoding: x-uuencode\r\n",
    b"begin 644 x\r\n", b"From: ", b"To: " + b"a@b.c, " * 50, b"Date: ", b"Message-ID: <", b">", b'"', b";",
)  # fmt: skip


@st.composite
def _mutated_mail(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(_SEEDS)))
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        position = draw(st.integers(min_value=0, max_value=len(raw)))
        operation = draw(
            st.sampled_from(("flip", "insert", "nasty", "delete", "truncate", "duplicate"))
        )
        if operation == "flip" and position < len(raw):
            raw[position] = draw(st.integers(min_value=0, max_value=255))
        elif operation == "insert":
            raw[position:position] = draw(st.binary(max_size=64))
        elif operation == "nasty":
            raw[position:position] = draw(st.sampled_from(_NASTY))
        elif operation == "delete":
            del raw[position : position + draw(st.integers(min_value=1, max_value=200))]
        elif operation == "truncate":
            del raw[position:]
        elif operation == "duplicate":
            raw[position:position] = raw[
                position : position + draw(st.integers(min_value=1, max_value=400))
            ]
    return bytes(raw)


_header_value = st.one_of(
    st.text(max_size=200),
    st.binary(max_size=200).map(lambda data: data.decode("latin-1")),
    st.lists(st.emails(), max_size=5).map(", ".join),
)
_header_line = st.tuples(
    st.sampled_from(
        (
            "From",
            "To",
            "Cc",
            "Subject",
            "Date",
            "Message-ID",
            "In-Reply-To",
            "References",
            "Content-Type",
            "Content-Disposition",
            "Content-Transfer-Encoding",
            "Content-Language",
            "Auto-Submitted",
            "Precedence",
            "Return-Path",
            "X-Autoreply",
            "List-Id",
        )
    ),
    _header_value,
).map(lambda pair: f"{pair[0]}: {pair[1]}".replace("\r", " ").replace("\n", " "))


@st.composite
def _generated_mail(draw: st.DrawFn) -> bytes:
    headers = draw(st.lists(_header_line, max_size=12))
    body = draw(st.one_of(st.text(max_size=500), st.binary(max_size=500)))
    return raw_mail(*headers, body=body) if headers else raw_mail("X: y", body=body)


def _assert_storable(message: InboundMessage, raw: bytes) -> None:
    assert message.channel == "email"
    assert message.external_id
    assert message.raw == raw
    for text in (
        message.external_id, message.sender_address, message.sender_name, message.subject,
        message.text, message.html, message.in_reply_to, message.automated_reason, message.language,
        *message.references, *message.recipients, *message.parse_warnings,
    ):  # fmt: skip
        assert isinstance(text, str)
        assert not _UNSTORABLE.search(text)
    assert len(message.recipients) <= MAX_RECIPIENTS
    assert message.sent_at is None or message.sent_at.utcoffset() is not None
    assert message.is_automated == bool(message.automated_reason)
    for attachment in message.attachments:
        assert attachment.filename.strip()
        assert not {"/", "\\", "\x00"} & set(attachment.filename)
        assert attachment.content_type
        assert not _UNSTORABLE.search(attachment.filename + attachment.content_id)
        assert not (attachment.rejected_reason and attachment.content)


@settings(max_examples=200, deadline=None)
@given(raw=st.binary(max_size=4_096))
def test_random_bytes_never_make_the_parser_raise(raw: bytes) -> None:
    # when
    message = parse_email(raw)

    # then
    _assert_storable(message, raw)


@settings(max_examples=200, deadline=None)
@given(raw=_mutated_mail())
def test_mutated_real_mails_never_make_the_parser_raise(raw: bytes) -> None:
    # when
    message = parse_email(raw, max_attachment_bytes=2_000, max_total_bytes=4_000)

    # then
    _assert_storable(message, raw)


@settings(max_examples=200, deadline=None)
@given(raw=_generated_mail())
def test_mails_with_arbitrary_header_values_never_make_the_parser_raise(raw: bytes) -> None:
    # when
    message = parse_email(raw)

    # then
    _assert_storable(message, raw)


@settings(max_examples=200, deadline=None)
@given(raw=st.one_of(_mutated_mail(), _generated_mail()))
def test_the_same_bytes_always_give_the_same_message(raw: bytes) -> None:
    # when
    first, second = parse_email(raw), parse_email(raw)

    # then
    assert first == second


@settings(max_examples=200, deadline=None)
@given(
    before=st.text(alphabet=st.characters(exclude_characters="<>&g"), max_size=200),
    after=st.text(alphabet=st.characters(exclude_characters="g"), max_size=200),
)
def test_text_from_html_never_shows_script_content(before: str, after: str) -> None:
    # given
    markup = f"<p>{before}</p><script>var geheim = 1;</script>{after}"

    # when
    text = html_to_text(markup)

    # then
    assert "geheim" not in text
