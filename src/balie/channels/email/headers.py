"""Header values as the sender meant them: 8-bit bytes, RFC 2047 words, addresses, ids, dates.

The modern `email.policy.default` parsers go first; when they raise, are too slow for the
input (its address parser is quadratic: 5,000 recipients take seconds) or leave undecodable
bytes, the compat32-era helpers (`email.utils.getaddresses`) and a lenient encoded-word
decoder take over.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import email.utils
import hashlib
import re
from email import policy

from balie.channels.email import charsets

# Above this many characters an address header goes to the linear compat32 parser.
_STRUCTURED_MAX_CHARS = 2_000
_FOLDING = re.compile(r"\r?\n(?=[ \t])")
_LINE_BREAKS = re.compile(r"[\r\n]+")
_WHITESPACE = re.compile(r"\s+")
_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,64})\?([QqBb])\?([^?\s]*)\?=")
_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")
_MSG_ID_IN_BRACKETS = re.compile(r"<([^<>]*)>")
_ADDRESS = re.compile(r"[^@\s\x00-\x1f\x7f<>()\[\],;:\"\\]+@[^@\s\x00-\x1f\x7f<>()\[\],;:\"\\]+")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
MSG_ID_MAX_CHARS = 250
_NOT_IN_MSG_ID = re.compile(r"[\s\x00-\x1f]")  # what str.isspace() and controls are
# What `simple_addresses` reads: dot-atoms in ASCII for the address, words of letters,
# digits and RFC 5322 atext for the name; anything else in the header sends it elsewhere.
_DOT_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_ADDR_SPEC = rf"{_DOT_ATOM}@{_DOT_ATOM}"
_NAME_WORD = r"[^\W_]+(?:['-][^\W_]+)*"
_SIMPLE_ENTRY = re.compile(
    rf"[ \t]*(?:((?:{_NAME_WORD}[ \t]+)*{_NAME_WORD})?[ \t]*<({_ADDR_SPEC})>|({_ADDR_SPEC}))[ \t]*"
)
_NOT_SIMPLE = re.compile(r"[\"()\\:;\[\]\ufffd\ud800-\udfff]|=\?")


def unfold(value: str) -> str:
    return _LINE_BREAKS.sub(" ", _FOLDING.sub("", value))


def header_text(value: str, *, charset: str | None = None) -> tuple[str, bool]:
    """An unfolded raw header value as text; the flag says 8-bit bytes were not UTF-8.

    The parser hands raw 8-bit header bytes over as surrogate escapes. RFC 6532 allows UTF-8
    there; older mailers send their local charset, which is usually the body's (`charset`),
    else cp1252 or latin-1.
    """
    value = unfold(value)
    if not charsets.has_surrogates(value):
        return value, False
    data = value.encode("utf-8", errors="surrogateescape")
    try:
        return data.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    hinted = charsets.codec_name(charset)
    text, failed = charsets.decode_bytes(data, hinted) if hinted else ("", True)
    if failed:
        text, _ = charsets.decode_bytes(data, "cp1252")
    return text, True


def one_line(text: str, *, max_chars: int) -> str:
    """Text for a one-line field: no controls, single spaces, at most `max_chars`."""
    text = _WHITESPACE.sub(" ", charsets.clean_text(text)).strip()
    return text[:max_chars].rstrip()


def decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words leniently: wrong charsets, bad padding, words split mid-character.

    Adjacent words in the same charset are joined as bytes before decoding, because mailers
    split multi-byte characters across words; whitespace between encoded words is dropped.
    """
    pieces: list[str] = []
    pending_charset = ""
    pending = b""
    after_word = False
    position = 0
    for match in _ENCODED_WORD.finditer(value):
        between = value[position : match.start()]
        position = match.end()
        data = _decode_word_payload(match.group(2), match.group(3))
        charset = match.group(1).split("*", 1)[0]
        adjacent = after_word and not between.strip()
        if data is not None and adjacent and pending and charset.lower() == pending_charset.lower():
            pending += data
            continue
        if pending:
            pieces.append(charsets.decode_bytes(pending, pending_charset)[0])
            pending = b""
        if not adjacent:
            pieces.append(between)
        if data is None:  # not decodable: keep the word as written
            pieces.append(match.group(0))
            after_word = False
        else:
            pending_charset, pending, after_word = charset, data, True
    if pending:
        pieces.append(charsets.decode_bytes(pending, pending_charset)[0])
    pieces.append(value[position:])
    return "".join(pieces)


def _decode_word_payload(encoding: str, payload: str) -> bytes | None:
    try:
        if encoding in "Qq":
            return binascii.a2b_qp(payload.encode("ascii", errors="replace"), header=True)
        letters = _NOT_BASE64.sub("", payload)
        letters = letters[: len(letters) - len(letters) % 4] if len(letters) % 4 == 1 else letters
        return base64.b64decode(letters + "=" * (-len(letters) % 4))
    except (binascii.Error, ValueError):
        return None


def decode_unstructured(value: str, *, charset: str | None = None) -> tuple[str, bool]:
    """Subject-like header text; the flag says 8-bit bytes were not UTF-8."""
    value, non_utf8 = header_text(value, charset=charset)
    if "=?" not in value:
        # Without encoded words the modern parser gives the value back as it is.
        return value, non_utf8
    try:
        text: str | None = str(policy.default.header_factory("subject", value))
    except Exception:  # a broken header falls back to the lenient decoder
        text = None
    if text is None or "\ufffd" in text or "=?" in text or charsets.has_surrogates(text):
        text = decode_words(value)
    return text, non_utf8


def parse_addresses(value: str, *, charset: str | None = None) -> list[tuple[str, str]]:
    """(display name, address as written) pairs from an address header, groups flattened."""
    value, _ = header_text(value, charset=charset)
    if len(value) <= _STRUCTURED_MAX_CHARS:
        simple = simple_addresses(value)
        if simple is not None:
            return simple
        try:
            header = policy.default.header_factory("to", value)
            pairs = [(address.display_name, address.addr_spec) for address in header.addresses]
        except Exception:  # a broken header falls back to compat32
            pairs = []
        if pairs and not any(_undecoded(name) for name, _ in pairs):
            return pairs
    return _compat32_addresses(value)


def simple_addresses(value: str) -> list[tuple[str, str]] | None:
    """The pairs of a header made only of plain `Name <local@domain>` and `local@domain`
    entries, read with one regular expression per entry; None for anything else (quotes,
    comments, groups, encoded words, odd characters), which goes to the full parser. Most
    mail is plain, and the full parser spends about a millisecond per header on it; for
    plain headers both give the same pairs (a property test holds them to that)."""
    if _NOT_SIMPLE.search(value):
        return None
    pairs = []
    for entry in value.split(","):
        if not entry.strip():
            continue
        match = _SIMPLE_ENTRY.fullmatch(entry)
        if match is None:
            return None
        phrase, bracketed, bare = match.groups()
        pairs.append((" ".join(phrase.split()) if phrase else "", bracketed or bare))
    return pairs


def _undecoded(text: str) -> bool:
    return "\ufffd" in text or "=?" in text or charsets.has_surrogates(text)


def _compat32_addresses(value: str) -> list[tuple[str, str]]:
    try:
        pairs = email.utils.getaddresses([value])
        if pairs == [("", "")] and value.strip():
            # Python 3.13's strict mode gives up on the whole header at one odd address.
            pairs = email.utils.getaddresses([value], strict=False)
    except Exception:  # a header that defeats both parsers has no addresses
        return []
    return [(decode_words(name), address) for name, address in pairs if name or address]


def normalize_address(address: str) -> str:
    """Lower-cased `local@domain`, or "" when it is not a usable address."""
    address = address.strip().strip("<>").strip().lower()
    if len(address) > 254 or not _ADDRESS.fullmatch(address):
        return ""
    if charsets.has_surrogates(address) or address.startswith("@") or address.endswith("@"):
        return ""
    return address


def normalize_msg_id(token: str) -> str:
    """A Message-ID without <>; ids too long to index become a stable hash."""
    token = token.strip().strip("<>").strip()
    if not token or _NOT_IN_MSG_ID.search(token):
        return ""
    token = charsets.clean_text(token)
    if len(token) > MSG_ID_MAX_CHARS:
        digest = hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()
        return f"long-{digest}@balie.invalid"
    return token


def parse_msg_ids(value: str) -> list[str]:
    """Message ids in order, without duplicates; bare ids (no <>) are accepted when they hold @."""
    value, _ = header_text(value)
    tokens = _MSG_ID_IN_BRACKETS.findall(value)
    if not tokens:
        tokens = [token for token in re.split(r"[\s,]+", value) if "@" in token]
    ids: list[str] = []
    for token in tokens:
        normalized = normalize_msg_id(token)
        if normalized and normalized not in ids:
            ids.append(normalized)
    return ids


def parse_date(value: str) -> dt.datetime | None:
    """The Date header as an aware UTC datetime; "-0000" (zone unknown) counts as UTC."""
    value, _ = header_text(value)
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=dt.UTC)
        return parsed.astimezone(dt.UTC)
    except Exception:  # any unreadable date is "no date"
        return None


def parse_language(value: str) -> str:
    """The first language tag of Content-Language ("nl-NL, en" -> "nl-NL")."""
    value, _ = header_text(value)
    match = _LANGUAGE_TAG.search(value)
    return match.group()[:35] if match else ""
