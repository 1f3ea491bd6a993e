"""Building outbound emails: threading headers, safe headers and HTML, the quote, files."""

from __future__ import annotations

import datetime as dt
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balie.channels.email import outbound
from balie.channels.email.parser import parse_email

DATE = dt.datetime(2026, 3, 4, 9, 15, tzinfo=dt.UTC)


def outgoing(**fields: object) -> outbound.Outgoing:
    values: dict[str, object] = {
        "message_id": "balie.abc123@pollepel.nl",
        "from_name": "Klantenservice De Pollepel",
        "from_address": "service@pollepel.nl",
        "to_address": "anouk@example.nl",
        "to_name": "Anouk de Vries",
        "subject": "Re: Waar blijft mijn bestelling? [#K7M2QX9A]",
        "text": "Hoi Anouk,\n\nJe pakket is onderweg.\n\nGroet, Sanne",
        "date": DATE,
    }
    values.update(fields)
    return outbound.Outgoing(**values)  # type: ignore[arg-type]


def parsed(message: EmailMessage) -> EmailMessage:
    result = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    assert isinstance(result, EmailMessage)
    return result


def bodies(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    return (
        str(text.get_content()).replace("\r\n", "\n"),
        str(html.get_content()).replace("\r\n", "\n"),
    )


def test_it_threads_on_the_message_it_answers() -> None:
    # given
    message = outbound.build(
        outgoing(
            in_reply_to="vraag-2@example.nl",
            references=["vraag-1@example.nl", "antwoord-1@pollepel.nl"],
        )
    )

    # when
    headers = parsed(message)

    # then
    assert headers["Message-ID"] == "<balie.abc123@pollepel.nl>"
    assert headers["In-Reply-To"] == "<vraag-2@example.nl>"
    assert headers["References"].split() == [
        "<vraag-1@example.nl>",
        "<antwoord-1@pollepel.nl>",
        "<vraag-2@example.nl>",
    ]
    assert headers["From"] == "Klantenservice De Pollepel <service@pollepel.nl>"
    assert headers["To"] == "Anouk de Vries <anouk@example.nl>"
    assert headers["Content-Language"] == "nl"
    assert headers["Date"]
    assert headers["Auto-Submitted"] is None


def test_long_references_keep_the_root_and_the_newest() -> None:
    # given
    references = [f"r{number}@example.nl" for number in range(60)]

    # when
    ids = outbound.thread_ids("parent@example.nl", references)

    # then
    assert len(ids) == outbound.REFERENCES_MAX
    assert ids[0] == "r0@example.nl"
    assert ids[-1] == "parent@example.nl"
    assert ids[-2] == "r59@example.nl"


def test_ids_we_made_up_for_mail_without_one_never_go_out() -> None:
    # when
    message = parsed(
        outbound.build(
            outgoing(
                in_reply_to="generated-00ff@balie.invalid",
                references=["sha256:00ff", "echt@example.nl"],
            )
        )
    )

    # then
    assert message["In-Reply-To"] is None
    assert message["References"] == "<echt@example.nl>"


def test_script_tags_in_the_agents_text_are_escaped_in_the_html_part() -> None:
    # given
    text = 'Kijk op https://pollepel.nl/retour\n\n<script>alert("x")</script> <b>vet</b>'

    # when
    plain, html = bodies(parsed(outbound.build(outgoing(text=text))))

    # then
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;vet&lt;/b&gt;" in html
    assert '<a href="https://pollepel.nl/retour">https://pollepel.nl/retour</a>' in html
    assert html.count("<p>") == 2
    assert '<script>alert("x")</script>' in plain  # the text part is text, as written


def test_a_subject_with_line_breaks_cannot_inject_headers() -> None:
    # given
    subject = "Vraag\r\nBcc: iedereen@example.nl\r\n\r\nnep-inhoud [#K7M2QX9A]"

    # when
    raw = outbound.build(outgoing(subject=subject, from_name="Sanne\r\nX-Evil: ja")).as_bytes()
    message = BytesParser(policy=policy.default).parsebytes(raw)

    # then
    assert message["Bcc"] is None
    assert message["X-Evil"] is None
    assert message["Subject"] == "Vraag Bcc: iedereen@example.nl nep-inhoud [#K7M2QX9A]"
    assert b"\r\nBcc:" not in raw


def test_non_ascii_names_and_subjects_go_out_as_encoded_words() -> None:
    # given
    subject = "Re: Retour van de crème brûlée-brander € 39,95 [#K7M2QX9A]"

    # when
    raw = outbound.build(
        outgoing(subject=subject, from_name="Klantenservice Één & Zoë", to_name="Jörg Müller")
    ).as_bytes()
    head = raw.split(b"\r\n\r\n", 1)[0]
    message = BytesParser(policy=policy.default).parsebytes(raw)

    # then
    assert head.isascii()
    assert b"=?utf-8?" in head
    assert message["Subject"] == subject
    assert message["From"].addresses[0].display_name == "Klantenservice Één & Zoë"
    assert message["To"].addresses[0].display_name == "Jörg Müller"


def test_a_reply_quotes_the_customers_message_below_it() -> None:
    # given
    quote = outbound.Quote(
        sender_name="Anouk de Vries",
        sender_address="anouk@example.nl",
        sent_at=dt.datetime(2026, 3, 3, 15, 30, tzinfo=dt.UTC),
        text="Waar blijft <mijn> pakket?\nGroet",
    )

    # when
    plain, html = bodies(parsed(outbound.build(outgoing(quote=quote))))

    # then (16:30 in Amsterdam)
    line = "Op 3 maart 2026 om 16:30 schreef Anouk de Vries <anouk@example.nl>:"
    assert f"{line}\n> Waar blijft <mijn> pakket?\n> Groet" in plain
    assert "Op 3 maart 2026 om 16:30 schreef Anouk de Vries &lt;anouk@example.nl&gt;:" in html
    assert "<blockquote><p>Waar blijft &lt;mijn&gt; pakket?<br>" in html


def test_what_balie_sends_by_itself_says_so() -> None:
    # when
    message = parsed(outbound.build(outgoing(auto_submitted=outbound.AUTO_REPLIED)))

    # then
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["X-Auto-Response-Suppress"] == "All"


def test_attachments_go_along_with_their_names() -> None:
    # given
    files = [
        outbound.OutgoingAttachment("retourlabel één.pdf", "application/pdf", b"%PDF-1.4 x"),
        outbound.OutgoingAttachment("foto.png", "image/png", b"\x89PNG\r\n\x1a\n...."),
    ]

    # when
    message = parsed(outbound.build(outgoing(attachments=files)))

    # then
    found = [(part.get_filename(), part.get_content()) for part in message.iter_attachments()]
    assert found == [("retourlabel één.pdf", b"%PDF-1.4 x"), ("foto.png", b"\x89PNG\r\n\x1a\n....")]
    assert message.get_content_type() == "multipart/mixed"


def test_our_own_parser_reads_what_we_send() -> None:
    # when
    inbound = parse_email(
        outbound.build(outgoing(in_reply_to="vraag@example.nl", text="Hoi <Anouk>")).as_bytes()
    )

    # then
    assert inbound.external_id == "balie.abc123@pollepel.nl"
    assert inbound.in_reply_to == "vraag@example.nl"
    assert inbound.sender_address == "service@pollepel.nl"
    assert inbound.recipients == ("anouk@example.nl",)
    assert "Hoi <Anouk>" in inbound.text
    assert not inbound.is_automated


def test_an_address_smtp_cannot_carry_is_refused_and_idn_domains_are_encoded() -> None:
    assert outbound.sendable_address("jan@café.nl") == "jan@xn--caf-dma.nl"
    with pytest.raises(outbound.AddressNotSendable):
        outbound.sendable_address("jörg@example.de")


def test_a_message_id_is_on_the_senders_domain_and_unique() -> None:
    first = outbound.message_id_new("service@pollepel.nl")
    second = outbound.message_id_new("service@pollepel.nl")
    assert first.endswith("@pollepel.nl")
    assert first != second


@settings(deadline=None)  # a busy CI machine must not turn a slow example into a failure
@given(
    subject=st.text(max_size=300),
    name=st.text(max_size=150),
    text=st.text(max_size=500),
)
def test_any_subject_name_and_text_build_a_message_with_one_line_headers(
    subject: str, name: str, text: str
) -> None:
    # when
    raw = outbound.build(outgoing(subject=subject, from_name=name, text=text)).as_bytes()
    message = BytesParser(policy=policy.default).parsebytes(raw)

    # then every header is one we wrote, and the text is there
    assert sorted(message.keys()) == sorted(
        [
            "Message-ID", "Date", "From", "To", "Subject", "Content-Language",
            "Content-Type", "MIME-Version",
        ]
    )  # fmt: skip
    assert "\n" not in str(message["Subject"])
    plain, _html = bodies(message)
    assert plain.strip().splitlines() == text.strip().splitlines()
