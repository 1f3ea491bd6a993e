"""split_reply on real reply bodies (crisp/zapier corpora), Dutch samples and any text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balie.inbox.text import split_reply

EMAILS = Path(__file__).parent / "fixtures" / "replies"

# Corpus file -> how the folded part starts (None: nothing to fold).
CORPUS = {
    "crisp-erp--email_21.txt": None,
    "crisp-erp--email_danish_dash_separator.txt": "-------- Oprindelig besked",
    "crisp-erp--email_emoji.txt": "—\nJohn Doe",
    "crisp-erp--email_fr_multiline.txt": "Le lun. 15 nov. 2021",
    "crisp-erp--email_french_dash_separator.txt": "-------- Message d'origine",
    "crisp-erp--email_german.txt": "Am 13.12.2017 21:11 schrieb",
    "crisp-erp--email_german_outlook.txt": "-----Ursprüngliche Nachricht-----",
    "crisp-erp--email_gmail_split_line_from.txt": "On Mon, Aug 26, 2019 at 4:37 PM",
    "crisp-erp--email_ios_outlook.txt": "Get Outlook for iOS",
    "crisp-erp--email_italian.txt": "In data 11 ottobre 2017",
    "crisp-erp--email_msn.txt": "________________________________\nFrom: The Hiring Engine",
    "crisp-erp--email_norwegian_gmail.txt": "tir. 18. apr. 2017 kl. 13:09 skrev",
    "crisp-erp--email_reply_header.txt": "On Wed, Dec 9, Mister Example\n<mrmister",
    "crisp-erp--email_russian.txt": "ср, 30 апр. 2025",
    "crisp-erp--email_tricky_10_special_chars_in_name.txt": "On Dec 15, 2024, at 3:45 PM, O'Brien",
    "crisp-erp--email_tricky_14_long_quote_header.txt": "On Monday, December 15, 2024",
    "crisp-erp--email_tricky_16_unicode_signatures.txt": "—————\nSarah Johnson",
    "crisp-erp--email_tricky_20_html_entities.txt": "On Dec 15, 2024, John &quot;Johnny",
    "crisp-erp--email_tricky_9_nested_quotes.txt": "On Dec 15, 2024, at 2:00 PM, Jane Doe",
    "zapier-erp--email_bullets.txt": "On Fri, Feb 24, 2012 at 10:19 AM",
    "zapier-erp--email_headers_no_delimiter.txt": "From: Dan Watson [mailto:",
    "zapier-erp--email_partial_quote_header.txt": "On 9 Jan 2014, at 2:47, George",
    "zapier-erp--pathological.txt": 'On Dec 8, 2013 2:10 PM, "John Sullivan"',
}


def _same_but_whitespace(a: str, b: str) -> bool:
    return re.sub(r"\s", "", a) == re.sub(r"\s", "", b)


def test_the_corpus_table_lists_every_reply_body() -> None:
    # given
    on_disk = {
        path.name for pattern in ("crisp-erp--*", "zapier-erp--*") for path in EMAILS.glob(pattern)
    }

    # then
    assert on_disk == set(CORPUS)


@pytest.mark.parametrize(("name", "folded_start"), CORPUS.items())
def test_real_replies_fold_at_the_quoted_history(name: str, folded_start: str | None) -> None:
    # given
    body = (EMAILS / name).read_text(encoding="utf-8")

    # when
    new, folded = split_reply(body)

    # then
    assert new.strip()
    assert _same_but_whitespace(new + folded, body)
    if folded_start is None:
        assert folded == ""
    else:
        assert folded.startswith(folded_start)
        assert folded_start not in new


@pytest.mark.parametrize(
    ("text", "expected_new", "folded_start"),
    [
        (
            "Hoi,\n\nWaar blijft mijn pakket?\n\nGroet,\nJan\n\n"
            "Op ma 3 jan. 2026 om 10:00 schreef Kookwinkel De Pollepel <service@pollepel.nl>:\n"
            "> Bedankt voor je bestelling!",
            "Hoi,\n\nWaar blijft mijn pakket?\n\nGroet,\nJan",
            "Op ma 3 jan. 2026 om 10:00 schreef",
        ),
        (
            "Top, dank je!\n\nOp 3 jan. 2026 om 10:00 heeft Pollepel <service@pollepel.nl> het "
            "volgende geschreven:\n\n> Je retour is binnen.",
            "Top, dank je!",
            "Op 3 jan. 2026 om 10:00 heeft",
        ),
        (
            "Dank!\n\nVerstuurd vanaf mijn iPhone\n\n> Eerder bericht",
            "Dank!",
            "Verstuurd vanaf mijn iPhone",
        ),
        (
            "Graag een nieuwe factuur.\n\nVan: Pollepel <service@pollepel.nl>\n"
            "Verzonden: maandag 5 januari 2026 09:12\nAan: Jan\nOnderwerp: Je factuur",
            "Graag een nieuwe factuur.",
            "Van: Pollepel",
        ),
        (
            "Klopt.\n\n-----Original Message-----\nFrom: Pollepel\nSent: Monday",
            "Klopt.",
            "-----Original Message-----",
        ),
        (
            "Danke.\n\nAm 05.01.2026 um 09:12 schrieb Pollepel <service@pollepel.nl>:\n> Hallo",
            "Danke.",
            "Am 05.01.2026 um 09:12 schrieb",
        ),
        (
            "Merci.\n\nLe lun. 5 janv. 2026 à 09:12, Pollepel <service@pollepel.nl> a écrit :\n> Bonjour",
            "Merci.",
            "Le lun. 5 janv. 2026",
        ),
        (
            "Graag retour.\n\n-- \nJan Jansen\nTel. 06-12345678",
            "Graag retour.",
            "-- \nJan Jansen",
        ),
        ("Top\n> vraag\n> nog een vraag\n\nJan", "Top", "> vraag"),
    ],
)
def test_dutch_and_neighbouring_replies_fold(
    text: str, expected_new: str, folded_start: str
) -> None:
    # when
    new, folded = split_reply(text)

    # then
    assert new == expected_new
    assert folded.startswith(folded_start)


@pytest.mark.parametrize(
    "text",
    [
        "Hoi,\n\nOp 3 mei schreef ik jullie:\nwaar is mijn pakket?",
        "> alleen een citaat\n> zonder antwoord",
        "> vraag 1\nantwoord 1\n> vraag 2\nantwoord 2\n> vraag 3\nantwoord 3\n> vraag 4\nantwoord 4",
        "Van: maandag tot vrijdag ben ik thuis.",
        "Bestelnummer 1234, graag snel.",
        "",
    ],
)
def test_the_customers_own_words_are_not_folded(text: str) -> None:
    # when
    new, folded = split_reply(text)

    # then
    assert (new, folded) == (text, "")


reply_like_lines = st.sampled_from(
    [
        "> ",
        ">> quoted",
        "-- ",
        "--",
        "—",
        "________________________________",
        "-----Original Message-----",
        "Van: Jan <jan@x.nl>",
        "Verzonden: maandag 10:00",
        "On Mon, 1 Jan 2026 at 10:00, Jan <jan@x.nl> wrote:",
        "Op ma 3 jan. 2026 om 10:00 schreef X",
        "<x@y.nl>:",
        "Verstuurd vanaf mijn iPhone",
        "",
        "\r",
    ]
)
texts = st.one_of(
    st.text(),
    st.lists(st.one_of(reply_like_lines, st.text(max_size=80)), max_size=40).map("\n".join),
)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_splitting_never_raises_and_loses_nothing(text: str) -> None:
    # when
    new, folded = split_reply(text)

    # then
    assert text.startswith(new)
    assert text.endswith(folded)
    assert text[len(new) : len(text) - len(folded)].strip() == ""
    assert _same_but_whitespace(new + folded, text)
    if folded:
        assert new.strip()
