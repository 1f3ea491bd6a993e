from __future__ import annotations

import datetime as dt
import hashlib

from balie.channels.email import sniff
from balie.channels.email.parser import MAX_RECIPIENTS, parse_email
from balie.channels.email.tests.raw_mail import base64_part, multipart, part, raw_mail

_MB = 1024 * 1024


def test_a_plain_mail_gives_sender_subject_text_ids_and_date() -> None:
    # given
    raw = raw_mail()

    # when
    message = parse_email(raw)

    # then
    assert message.channel == "email"
    assert (message.sender_name, message.sender_address) == ("Anna de Vries", "anna@voorbeeld.nl")
    assert message.subject == "Waar is mijn bestelling?"
    assert message.text == "Hallo,\n\nWaar blijft mijn pakket?\n"
    assert message.html == ""
    assert message.external_id == "bestelling-123@voorbeeld.nl"
    assert message.sent_at == dt.datetime(2025, 3, 4, 9, 15, tzinfo=dt.UTC)
    assert message.recipients == ("service@pollepel.nl",)
    assert message.raw == raw
    assert not message.is_automated
    assert message.parse_warnings == ()


def test_in_reply_to_and_references_are_kept_in_order_without_brackets() -> None:
    # given
    raw = raw_mail(
        "From: anna@voorbeeld.nl",
        "Subject: Re: Retour",
        "In-Reply-To: <antwoord-2@pollepel.nl>",
        "References: <vraag-1@voorbeeld.nl>",
        "  <antwoord-2@pollepel.nl> <vraag-1@voorbeeld.nl>",
    )

    # when
    message = parse_email(raw)

    # then
    assert message.in_reply_to == "antwoord-2@pollepel.nl"
    assert message.references == ("vraag-1@voorbeeld.nl", "antwoord-2@pollepel.nl")


def test_raw_utf8_bytes_in_headers_are_read_as_utf8() -> None:
    # given: RFC 6532 style, no encoded words
    raw = raw_mail("From: Jöske Brandsmà <joske@voorbeeld.nl>", "Subject: Levering naar Curaçao €5")

    # when
    message = parse_email(raw)

    # then
    assert message.sender_name == "Jöske Brandsmà"
    assert message.subject == "Levering naar Curaçao €5"
    assert message.parse_warnings == ()


def test_raw_cp1252_bytes_in_headers_fall_back_with_a_warning() -> None:
    # given: an old Windows mailer writes its own code page straight into the header
    raw = (
        "From: Jos\xe9 Garc\xeda <jose@voorbeeld.es>\r\nSubject: Factuur \x80 12,50 \x93betaald\x94\r\n\r\nHoi\r\n"
    ).encode("latin-1")

    # when
    message = parse_email(raw)

    # then
    assert message.sender_name == "José García"
    assert message.subject == "Factuur € 12,50 “betaald”"
    assert "De kopregels bevatten tekens in een onbekende tekenset." in message.parse_warnings


def test_encoded_words_with_a_wrong_charset_still_decode() -> None:
    # given: declared utf-8, bytes are latin-1
    raw = raw_mail("From: a@voorbeeld.nl", "Subject: =?utf-8?q?Caf=E9_De_Kroon?=")

    # when
    message = parse_email(raw)

    # then
    assert message.subject == "Café De Kroon"


def test_a_cp1252_body_declared_as_utf8_is_read_as_cp1252_with_a_warning() -> None:
    # given
    body = "Graag één retourlabel — bedankt €".encode("cp1252")
    raw = raw_mail("From: a@voorbeeld.nl", "Content-Type: text/plain; charset=utf-8", body=body)

    # when
    message = parse_email(raw)

    # then
    assert message.text == "Graag één retourlabel — bedankt €"
    assert any("tekenset" in warning for warning in message.parse_warnings)


def test_an_unknown_charset_falls_back_to_utf8() -> None:
    # given
    raw = raw_mail(
        "From: a@voorbeeld.nl",
        "Content-Type: text/plain; charset=x-klingon",
        body="Dag één".encode(),
    )

    # when
    message = parse_email(raw)

    # then
    assert message.text == "Dag één"
    assert any("tekenset" in warning for warning in message.parse_warnings)


def test_a_26_mb_attachment_is_kept_empty_with_a_reason_and_the_rest_of_the_mail_stays() -> None:
    # given
    header, body = multipart(
        "grens",
        part("Content-Type: text/plain; charset=utf-8", body=b"Zie de foto's in de bijlage."),
        base64_part(
            'Content-Type: application/octet-stream; name="video.mov"',
            content=b"\x00\x01" * (13 * _MB),
        ),
        base64_part(
            'Content-Type: image/png; name="bon.png"', content=b"\x89PNG\r\n\x1a\n" + b"0" * 100
        ),
    )
    raw = raw_mail("From: a@voorbeeld.nl", "Subject: Kapotte pan", header, body=body)

    # when
    message = parse_email(raw)

    # then
    assert message.text == "Zie de foto's in de bijlage."
    video, receipt = message.attachments
    assert (video.filename, video.content, video.rejected_reason) == (
        "video.mov",
        b"",
        "te groot: 26 MB (max. 25 MB)",
    )
    assert (receipt.filename, receipt.content_type, receipt.size) == ("bon.png", "image/png", 108)
    assert receipt.rejected_reason == ""


def test_attachments_past_the_total_limit_are_kept_empty_with_a_reason() -> None:
    # given: three 40 kB files, at most 100 kB in total
    header, body = multipart(
        "grens",
        part("Content-Type: text/plain", body=b"Drie scans."),
        *(
            base64_part(
                f'Content-Type: application/pdf; name="scan-{number}.pdf"',
                content=b"%PDF-1.4 " * 4_500,
            )
            for number in (1, 2, 3)
        ),
    )

    # when
    message = parse_email(
        raw_mail("From: a@voorbeeld.nl", header, body=body),
        max_attachment_bytes=50_000,
        max_total_bytes=100_000,
    )

    # then
    assert [attachment.rejected_reason for attachment in message.attachments] == [
        "",
        "",
        "te groot: de bijlagen samen zijn meer dan 98 kB",
    ]
    assert message.attachments[2].content == b""


def test_five_thousand_recipients_are_capped_at_a_thousand_with_a_warning() -> None:
    # given
    to = ", ".join(f'"Klant {number}" <klant{number}@voorbeeld.nl>' for number in range(4_000))
    cc = ", ".join(f"kopie{number}@voorbeeld.nl" for number in range(1_000))
    raw = raw_mail("From: a@voorbeeld.nl", f"To: {to}", f"Cc: {cc}")

    # when
    message = parse_email(raw)

    # then
    assert len(message.recipients) == MAX_RECIPIENTS
    assert message.recipients[:2] == ("klant0@voorbeeld.nl", "klant1@voorbeeld.nl")
    assert any("ontvangers" in warning for warning in message.parse_warnings)


def test_an_html_only_mail_keeps_the_html_raw_and_derives_text_without_scripts() -> None:
    # given
    html = (
        "<html><head><title>Nieuwsbrief</title><style>p {color: red}</style></head><body>"
        "<p>Beste klant,</p><script>document.cookie='gestolen'</script>"
        "<div>Uw bestelling is <b>verzonden</b>.</div>"
        '<img src="https://tracker.example/pixel.gif?id=42" width="1" height="1">'
        "</body></html>"
    )
    raw = raw_mail("From: a@voorbeeld.nl", "Content-Type: text/html; charset=utf-8", body=html)

    # when
    message = parse_email(raw)

    # then
    assert message.html == html.replace("\n", "")
    assert message.text == "Beste klant,\n\nUw bestelling is verzonden."
    assert "gestolen" not in message.text
    assert "color" not in message.text


def test_plain_and_html_alternatives_give_both() -> None:
    # given
    header, body = multipart(
        "alt",
        part("Content-Type: text/plain; charset=utf-8", body=b"Hoi *Jan*"),
        part("Content-Type: text/html; charset=utf-8", body=b"<p>Hoi <b>Jan</b></p>"),
        subtype="alternative",
    )

    # when
    message = parse_email(raw_mail("From: a@voorbeeld.nl", header, body=body))

    # then
    assert (message.text, message.html) == ("Hoi *Jan*", "<p>Hoi <b>Jan</b></p>")


def test_a_dutch_out_of_office_reply_is_automated() -> None:
    # given
    raw = raw_mail(
        "From: Piet Jansen <piet@voorbeeld.nl>",
        "Subject: Automatisch antwoord: Uw bestelling 1043",
        body="Ik ben tot en met 14 juli afwezig.",
    )

    # when
    message = parse_email(raw)

    # then
    assert message.is_automated
    assert "Automatisch antwoord" in message.automated_reason


def test_the_same_mail_twice_gives_the_same_external_id() -> None:
    # given
    raw = raw_mail()

    # when
    first, second = parse_email(raw), parse_email(bytes(raw))

    # then
    assert first.external_id == second.external_id == "bestelling-123@voorbeeld.nl"


def test_a_mail_without_message_id_gets_a_stable_id_from_its_bytes() -> None:
    # given
    raw = raw_mail("From: a@voorbeeld.nl", "Subject: Vraag")
    other = raw_mail("From: a@voorbeeld.nl", "Subject: Andere vraag")

    # when
    first, again, different = parse_email(raw), parse_email(raw), parse_email(other)

    # then
    assert first.external_id == f"generated-{hashlib.sha256(raw).hexdigest()}@balie.invalid"
    assert again.external_id == first.external_id
    assert different.external_id != first.external_id


def test_a_missing_from_gives_an_empty_sender_and_a_warning() -> None:
    # given
    raw = raw_mail("To: service@pollepel.nl", "Subject: Zonder afzender")

    # when
    message = parse_email(raw)

    # then
    assert message.sender_address == ""
    assert "De afzender ontbreekt of is onleesbaar." in message.parse_warnings


def test_a_garbage_from_gives_an_empty_sender_and_a_warning() -> None:
    # given
    message = parse_email(raw_mail("From: <<<@@@>>> ;;; \x01", "Subject: x"))

    # then
    assert message.sender_address == ""
    assert "De afzender ontbreekt of is onleesbaar." in message.parse_warnings


def test_an_unreadable_date_is_none_with_a_warning() -> None:
    # given
    message = parse_email(raw_mail("From: a@voorbeeld.nl", "Date: gisteren na de lunch"))

    # then
    assert message.sent_at is None
    assert "De verzenddatum is onleesbaar." in message.parse_warnings


def test_a_date_without_zone_is_taken_as_utc() -> None:
    # given
    message = parse_email(raw_mail("From: a@voorbeeld.nl", "Date: Tue, 04 Mar 2025 10:15:00 -0000"))

    # then
    assert message.sent_at == dt.datetime(2025, 3, 4, 10, 15, tzinfo=dt.UTC)


def test_content_language_gives_the_first_language() -> None:
    # given
    message = parse_email(raw_mail("From: a@voorbeeld.nl", "Content-Language: nl-NL, en-GB"))

    # then
    assert message.language == "nl-NL"


def test_a_forwarded_mail_is_kept_as_an_eml_attachment() -> None:
    # given
    forwarded = (
        b"From: leverancier@groothandel.nl\r\nSubject: Levertijd pannen\r\n\r\nVolgende week.\r\n"
    )
    header, body = multipart(
        "fwd",
        part("Content-Type: text/plain", body=b"Zie hieronder."),
        part("Content-Type: message/rfc822", body=forwarded),
    )

    # when
    message = parse_email(raw_mail("From: a@voorbeeld.nl", header, body=body))

    # then
    assert message.text == "Zie hieronder."
    (attachment,) = message.attachments
    assert (attachment.filename, attachment.content_type) == (
        "Levertijd pannen.eml",
        "message/rfc822",
    )
    assert b"Subject: Levertijd pannen" in attachment.content
    assert b"Volgende week." in attachment.content


def test_winmail_dat_is_kept_as_an_attachment() -> None:
    # given
    header, body = multipart(
        "tnef",
        part("Content-Type: text/plain", body=b"Zie bijlage."),
        base64_part(
            "Content-Type: application/ms-tnef", content=b"\x78\x9f\x3e\x22" + b"\x00" * 40
        ),
    )

    # when
    message = parse_email(raw_mail("From: a@voorbeeld.nl", header, body=body))

    # then
    (attachment,) = message.attachments
    assert (attachment.filename, attachment.content_type, attachment.size) == (
        "winmail.dat",
        "application/ms-tnef",
        44,
    )


def test_attachment_names_lose_folders_and_control_characters() -> None:
    # given: RFC 2231 name with a path, and a right-to-left override that hides ".exe"
    header, body = multipart(
        "namen",
        part("Content-Type: text/plain", body=b"Twee bestanden."),
        base64_part(
            "Content-Type: application/octet-stream",
            "Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fetc%2Fbestelbon%C3%A9.txt",
            content=b"bon",
        ),
        base64_part(
            "Content-Type: application/pdf",
            "Content-Disposition: attachment; filename*=utf-8''factuur%E2%80%AEfdp.exe",
            content=b"%PDF-1.7",
        ),
    )

    # when
    message = parse_email(raw_mail("From: a@voorbeeld.nl", header, body=body))

    # then
    assert [attachment.filename for attachment in message.attachments] == [
        "bestelboné.txt",
        "factuurfdp.exe",
    ]


def test_attachment_types_come_from_the_bytes_and_active_content_is_flagged() -> None:
    # given: HTML pretending to be a PNG, a PDF sent as octet-stream
    header, body = multipart(
        "typen",
        part("Content-Type: text/plain", body=b"Bijlagen."),
        base64_part(
            'Content-Type: image/png; name="foto.png"', content=b"<html><script>alert(1)</script>"
        ),
        base64_part(
            'Content-Type: application/octet-stream; name="factuur"', content=b"%PDF-1.7\n..."
        ),
    )

    # when
    message = parse_email(raw_mail("From: a@voorbeeld.nl", header, body=body))

    # then
    disguised, invoice = message.attachments
    assert disguised.content_type == "text/html"
    assert sniff.is_active_content(disguised.content_type, disguised.filename)
    assert (invoice.filename, invoice.content_type) == ("factuur", "application/pdf")
    assert not sniff.is_active_content(invoice.content_type, invoice.filename)


def test_an_inline_image_is_an_attachment_with_its_content_id() -> None:
    # given
    related_header, related = multipart(
        "rel",
        part("Content-Type: text/html", body=b'<p>Logo: <img src="cid:logo@x"></p>'),
        base64_part("Content-Type: image/gif", "Content-ID: <logo@x>", content=b"GIF89a\x01\x00"),
        subtype="related",
    )

    # when
    message = parse_email(raw_mail("From: a@voorbeeld.nl", related_header, body=related))

    # then
    (image,) = message.attachments
    assert (image.filename, image.content_type, image.content_id) == (
        "bijlage-1.gif",
        "image/gif",
        "logo@x",
    )
    assert message.text == "Logo:"


def test_a_multipart_without_its_boundary_still_gives_the_text() -> None:
    # given
    raw = raw_mail(
        "From: a@voorbeeld.nl",
        'Content-Type: multipart/mixed; boundary="nergens"',
        body="Gewoon tekst.",
    )

    # when
    message = parse_email(raw)

    # then
    assert message.text == "Gewoon tekst."
    assert any("MIME" in warning for warning in message.parse_warnings)


def test_deeply_nested_multiparts_stop_with_a_warning() -> None:
    # given
    content_type, body = _nested(depth=120)

    # when
    message = parse_email(raw_mail("From: a@voorbeeld.nl", content_type, body=body))

    # then
    assert message.sender_address == "a@voorbeeld.nl"
    assert message.parse_warnings == ("Deze e-mail is te diep genest; niet alles is gelezen.",)


def test_nesting_too_deep_for_the_parser_still_keeps_the_headers() -> None:
    # given: Python's email parser recurses once per level and gives up long before 2,000
    content_type, body = _nested(depth=2_000)
    raw = raw_mail(
        "From: a@voorbeeld.nl", "Subject: Diep", "Message-ID: <diep@x>", content_type, body=body
    )

    # when
    message = parse_email(raw)

    # then
    assert (message.external_id, message.sender_address, message.subject) == (
        "diep@x",
        "a@voorbeeld.nl",
        "Diep",
    )
    assert message.parse_warnings == (
        "De inhoud van deze e-mail kon niet worden gelezen; het origineel is bewaard.",
    )
    assert message.raw == raw


def _nested(*, depth: int) -> tuple[str, bytes]:
    content_type, body = "Content-Type: text/plain", b"Binnenste tekst."
    for level in range(depth):
        content_type, body = multipart(f"b{level}", part(content_type, body=body))
    return content_type, body


def test_input_that_is_no_email_at_all_still_gives_a_message() -> None:
    # given
    for raw in (b"", b"\x00\xff" * 100, b"\r\n\r\n", b"From nobody\n", b"::::\n\n"):
        # when
        message = parse_email(raw)

        # then
        assert message.external_id.startswith("generated-")
        assert message.raw == raw
