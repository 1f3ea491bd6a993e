from __future__ import annotations

import datetime as dt
from email import policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balie.channels.email import headers


@pytest.mark.parametrize(
    ("value", "decoded"),
    [
        ("=?utf-8?q?caf=C3=A9?=", "café"),
        ("=?utf-8?q?caf=E9?=", "café"),  # wrong charset declared
        ("=?x-onbekend?q?caf=E9?=", "café"),
        ("=?utf-8?q?=C3?= =?utf-8?q?=A9?=", "é"),  # one character split over two words
        ("=?utf-8?b?w6k?=", "é"),  # missing padding
        ("voor =?utf-8?q?m=C3=ADdden?= na", "voor mídden na"),
        ("=?utf-8?q?a?= =?iso-8859-1?q?b?=", "ab"),
        ("=?utf-8?x?niet-gecodeerd?=", "=?utf-8?x?niet-gecodeerd?="),
    ],
)
def test_encoded_words_are_decoded_leniently(value: str, decoded: str) -> None:
    # when / then
    assert headers.decode_words(value) == decoded


def test_a_comma_in_an_encoded_display_name_does_not_split_the_address() -> None:
    # when
    pairs = headers.parse_addresses(
        '=?utf-8?q?Vries=2C_Anna_de?= <anna@voorbeeld.nl>, "Jan, P." <jan@x.nl>'
    )

    # then
    assert pairs == [("Vries, Anna de", "anna@voorbeeld.nl"), ("Jan, P.", "jan@x.nl")]


@pytest.mark.parametrize(
    ("address", "normalized"),
    [
        ("Anna@Voorbeeld.NL", "anna@voorbeeld.nl"),
        ("<anna@voorbeeld.nl>", "anna@voorbeeld.nl"),
        ("MAILER-DAEMON", ""),
        ("a@b@c", ""),
        ("@voorbeeld.nl", ""),
        ("an na@voorbeeld.nl", ""),
        ("\x00anna@voorbeeld.nl", ""),
    ],
)
def test_addresses_are_lower_cased_or_refused(address: str, normalized: str) -> None:
    # when / then
    assert headers.normalize_address(address) == normalized


def test_message_ids_lose_brackets_and_duplicates_and_keep_their_order() -> None:
    # when / then
    assert headers.parse_msg_ids("<b@x> (comment)\r\n <a@x> <b@x>") == ["b@x", "a@x"]
    assert headers.parse_msg_ids("kaal@x.nl") == ["kaal@x.nl"]
    assert headers.parse_msg_ids("geen id") == []


def test_a_message_id_too_long_to_index_becomes_a_stable_hash() -> None:
    # when
    first, again = (
        headers.normalize_msg_id("<" + "x" * 300 + "@y>"),
        headers.normalize_msg_id("x" * 300 + "@y"),
    )

    # then
    assert first == again
    assert first.startswith("long-")
    assert first.endswith("@balie.invalid")


def test_dates_become_aware_utc() -> None:
    # when / then
    assert headers.parse_date("Tue, 04 Mar 2025 10:15:00 +0100") == dt.datetime(
        2025, 3, 4, 9, 15, tzinfo=dt.UTC
    )
    assert headers.parse_date("31 Feb 2025 99:99:99") is None


_NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éëüöàçñÉßøåıǆ"
_ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~"
_name_words = st.lists(
    st.text(alphabet=_NAME_LETTERS + "'-", min_size=1, max_size=8), min_size=0, max_size=4
)
_dot_atom = st.lists(st.text(alphabet=_ATEXT, min_size=1, max_size=6), min_size=1, max_size=3)
_spaces = st.sampled_from(["", " ", "  ", "\t", " \t "])


@st.composite
def _address_header(draw: st.DrawFn) -> str:
    entries = []
    for _entry in range(draw(st.integers(min_value=1, max_value=4))):
        address = ".".join(draw(_dot_atom)) + "@" + ".".join(draw(_dot_atom))
        words = draw(_name_words)
        gaps = [draw(_spaces) or " " for _word in words]
        name = "".join(word + gap for word, gap in zip(words, gaps, strict=True)).strip()
        if draw(st.booleans()) or name:
            entries.append(f"{draw(_spaces)}{name}{draw(_spaces)}<{address}>{draw(_spaces)}")
        else:
            entries.append(f"{draw(_spaces)}{address}{draw(_spaces)}")
    return ",".join(entries)


@settings(max_examples=500, deadline=None)
@given(_address_header())
def test_plain_address_headers_read_as_the_full_parser_reads_them(value: str) -> None:
    # given: what Python's modern parser makes of it
    try:
        parsed = policy.default.header_factory("to", value)
        full = [(address.display_name, address.addr_spec) for address in parsed.addresses]
    except Exception:
        return

    # when
    simple = headers.simple_addresses(value)

    # then: the fast reading gives the same pairs, or leaves the header to the full parser
    assert simple is None or simple == full


@pytest.mark.parametrize(
    "value",
    [
        '"de Vries, Jan" <jan@example.nl>',
        "=?utf-8?q?Jos=C3=A9?= <jose@example.es>",
        "jan@example.nl (Jan)",
        "klanten: jan@example.nl, piet@example.nl;",
        "Jan <jan@[192.0.2.1]>",
        "J. de Vries <j@example.nl>",
        "not an address",
    ],
)
def test_anything_but_plain_addresses_goes_to_the_full_parser(value: str) -> None:
    # when / then
    assert headers.simple_addresses(value) is None


def test_plain_addresses_are_read_without_the_full_parser() -> None:
    # when
    pairs = headers.simple_addresses(" Sophie  Müller <s.muller@voorbeeld.de> , ,piet@x.nl")

    # then
    assert pairs == [("Sophie Müller", "s.muller@voorbeeld.de"), ("", "piet@x.nl")]
