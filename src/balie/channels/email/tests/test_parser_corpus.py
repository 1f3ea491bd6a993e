"""Every file of the shared bad-input corpus (`shared/corpora/emails/`) through the parser."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from balie.channels.email.parser import parse_email
from balie.core.tests import corpora
from balie.inbox.inbound import InboundMessage

CORPUS = corpora.EMAILS
_UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")
_FALLBACK_WARNINGS = (
    "De inhoud van deze e-mail kon niet worden gelezen; het origineel is bewaard.",
    "Deze e-mail kon niet worden gelezen; het origineel is bewaard.",
)


def _corpus_files() -> list[Path]:
    return sorted(path for path in CORPUS.glob("*") if path.is_file()) if CORPUS.is_dir() else []


def _parse(name: str) -> InboundMessage:
    return parse_email((CORPUS / name).read_bytes())


def test_the_email_corpus_is_there() -> None:
    assert _corpus_files(), corpora.require(CORPUS)


@pytest.mark.parametrize("path", _corpus_files(), ids=lambda path: path.name)
def test_every_corpus_file_parses_into_a_storable_message(path: Path) -> None:
    # given
    raw = path.read_bytes()

    # when
    message = parse_email(raw)

    # then
    assert message.external_id
    assert message.raw == raw
    for text in (
        message.subject,
        message.sender_name,
        message.text,
        message.html,
        *message.parse_warnings,
    ):
        assert not _UNSTORABLE.search(text)
    assert not set(_FALLBACK_WARNINGS) & set(message.parse_warnings)
    for attachment in message.attachments:
        assert attachment.filename
        assert not {"/", "\\"} & set(attachment.filename)
        assert attachment.content_type


def test_the_corpus_has_all_its_files() -> None:
    assert len(_corpus_files()) == 145


def test_quoted_printable_body_and_encoded_subject_are_decoded() -> None:
    # when
    message = _parse("djhelpdesk--quoted_printable.eml")

    # then
    assert message.subject == "Český test"
    assert message.text == "Tohle je test českých písmen odeslaných z gmailu.\n"
    assert message.sender_address == "tim.thelion@gmail.com"


def test_non_decodable_utf8_still_gives_readable_text() -> None:
    # when
    message = _parse("djhelpdesk--utf-nondecodable.eml")

    # then
    assert message.subject == "Fwd: Cyklozaměstnavatel - změna vyhodnocení"
    assert "Ahoj Johne,\npodle domluvy bych Tě poprosila" in message.text


@pytest.mark.parametrize(
    ("name", "subject", "sender_name"),
    [
        ("djhelpdesk--all-special-chars.eml", "Testovácí email", None),
        ("flanker--encoded-header.eml", "hello", "Foo, Bar"),
        (
            "rubymail--plain_emails_raw_email_with_partially_quoted_subject.eml",
            'Re: Test: "漢字" mid "漢字" tail',
            None,
        ),
        ("rubymail--multi_charset_japanese.eml", "まみむめも", None),
        ("rubymail--error_emails_bad_encoded_subject.eml", "TEST", None),
    ],
)
def test_encoded_headers_are_decoded(name: str, subject: str, sender_name: str | None) -> None:
    # when
    message = _parse(name)

    # then
    assert message.subject == subject
    if sender_name is not None:
        assert message.sender_name == sender_name


def test_a_200_kb_subject_is_decoded_and_cut_short() -> None:
    # when
    message = _parse("flanker--long-header.eml")

    # then
    assert message.subject.startswith(
        "Die heiße Zypernsonne quälte Max und Victoria ja böse auf dem Weg"
    )
    assert len(message.subject) <= 998
    assert message.text == "test"
    assert "Het onderwerp was erg lang en is ingekort." in message.parse_warnings


@pytest.mark.parametrize(
    "name",
    [
        "flanker--bounce_mailbox-full.eml",
        "flanker--bounce_no-mx.eml",
        "flanker--bounce_office365.eml",
        "flanker--bounce_broken-mime.eml",
        "flanker--bounce_delayed-broken.eml",
        "rubymail--multipart_report_emails_multi_address_bounce1.eml",
        "rubymail--multipart_report_emails_report_422.eml",
        "sisimai--bsd_lhost-postfix-01.eml",
        "sisimai--bsd_lhost-gmx-01.eml",
        "sisimai--bsd_lhost-amazonworkmail-01.eml",
        "sisimai--bsd_rfc3834-01.eml",
        "sisimai--bsd_rfc3834-02.eml",
        "sisimai--bsd_rfc3834-03.eml",
        "sisimai--bsd_rfc3834-05.eml",
        "sisimai--bsd_rfc3834-06.eml",
        "sisimai--err_make-test-01.eml",
    ],
)
def test_bounces_and_auto_replies_are_automated(name: str) -> None:
    # when
    message = _parse(name)

    # then
    assert message.is_automated
    assert message.automated_reason


@pytest.mark.parametrize(
    "name",
    [
        "sisimai--not_is-not-bounce-01.eml",
        "talon--standard_replies_gmail.eml",
        "talon--standard_replies_thunderbird.eml",
        "djhelpdesk--quoted_printable.eml",
    ],
)
def test_mail_from_people_is_not_automated(name: str) -> None:
    # when
    message = _parse(name)

    # then
    assert not message.is_automated
    assert message.automated_reason == ""


def test_a_bounce_keeps_its_delivery_report_and_the_returned_message() -> None:
    # when
    message = _parse("rubymail--multipart_report_emails_multi_address_bounce1.eml")

    # then
    assert message.automated_reason == "bounce of afleverbericht (multipart/report)"
    assert [attachment.content_type for attachment in message.attachments] == [
        "message/delivery-status",
        "message/rfc822",
    ]
    assert message.attachments[1].filename.endswith(".eml")


def test_an_attachment_with_a_blank_body_keeps_the_attachment() -> None:
    # when
    message = _parse("djhelpdesk--blank-body-with-attachment.eml")

    # then
    assert message.text.strip() == ""
    (attachment,) = message.attachments
    assert (attachment.filename, attachment.content) == ("baf", b"You shouldn't see this.\n")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("flanker--missing-boundaries.eml", "Hi This is a broken message"),
        ("flanker--missing-final-boundary.eml", "Some body"),
        ("flanker--dashed-boundaries.eml", "Hi"),
        (
            "rubymail--mime_emails_raw_email_with_illegal_boundary.eml",
            "Hello\nThis is an outlook test",
        ),
    ],
)
def test_broken_boundaries_still_give_the_text(name: str, text: str) -> None:
    # when
    message = _parse(name)

    # then
    assert text in message.text


def test_an_unquoted_boundary_with_an_equals_sign_is_split_after_all() -> None:
    # when: Outlook Express's boundary=----=_Part_… that the strict parser cuts at "="
    message = _parse("rubymail--mime_emails_raw_email_with_binary_encoded.eml")

    # then
    (attachment,) = message.attachments
    assert (attachment.filename, attachment.content) == (
        "2013-08-13_19-08-28-1.jpg",
        b"BINARY_CONTENT_GOES_HERE",
    )


def test_a_forwarded_message_is_an_eml_attachment() -> None:
    # when
    message = _parse("rubymail--attachment_emails_attachment_message_rfc822.eml")

    # then
    (attachment,) = message.attachments
    assert (attachment.filename, attachment.content_type) == (
        "ForwardedMessage.eml",
        "message/rfc822",
    )
    assert attachment.content.startswith(b"Return-Path:") or b"\nSubject:" in attachment.content


def test_tnef_winmail_dat_is_kept() -> None:
    # when
    message = _parse("sisimai--bsd_lhost-amazonworkmail-01.eml")

    # then
    assert ("winmail.dat", "application/ms-tnef") in [
        (attachment.filename, attachment.content_type) for attachment in message.attachments
    ]


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("rubymail--attachment_emails_attachment_nonascii_filename.eml", "ciële.txt"),
        (
            "rubymail--attachment_emails_attachment_with_base64_encoded_name.eml",
            "This is a test.pdf",
        ),
        ("rubymail--attachment_emails_attachment_with_unquoted_name.eml", "This is a test.txt"),
        (
            "rubymail--multi_charset_japanese_attachment_long_name.eml",
            "かきくけこかきくけこかきくけこかきくけこかきくけこ.txt",
        ),
    ],
)
def test_attachment_names_are_decoded(name: str, filename: str) -> None:
    # when
    message = _parse(name)

    # then
    assert [attachment.filename for attachment in message.attachments] == [filename]


def test_an_outlook_msg_file_is_not_an_email_but_still_a_message() -> None:
    # when
    message = _parse("mailparser--mail_outlook_1.msg")

    # then
    assert message.external_id.startswith("generated-")
    assert message.sender_address == ""
    assert "De afzender ontbreekt of is onleesbaar." in message.parse_warnings
