"""Folding quoted replies and signatures out of a message's text, for display only.

`split_reply(text)` cuts the text once, at the first line where the quoted history or the
signature starts, so `new + folded` is always the original (the visible part loses only its
trailing whitespace). The stored message is never changed; agents can unfold the rest.

Recognised, in Dutch, English, German and French (and a few neighbours that come along):
- reply headers: "Op ma 3 jan. 2026 om 10:00 schreef Jan <jan@x.nl>:", "On … wrote:",
  "Am … schrieb …:", "Le … a écrit :", also when a mail client wrapped them over lines;
- forwarded/original markers: "-----Original Message-----", "-------- Oorspronkelijk
  bericht --------", "________________" before an Outlook header block;
- Outlook header blocks: "Van: … / Verzonden: …", "From: … / Sent: …", "Von: … / Gesendet: …";
- a block of lines starting with ">" that is not followed by more of the sender's own text;
- the signature delimiter "-- " (and dash lines) and phone footers ("Verstuurd vanaf mijn
  iPhone", "Sent from my iPhone", "Von meinem iPhone gesendet", "Get Outlook for iOS").

If folding would leave nothing visible (a message that is only a quote), nothing is folded.
"""

from __future__ import annotations

import re

# A wrapped reply header spans at most this many lines ("On …, Jan <" / "jan@x.nl> wrote:").
_HEADER_MAX_LINES = 4
# Lines longer than this are never headers; also keeps every regex below cheap.
_HEADER_MAX_CHARS = 600

_HEADER_START = re.compile(r"(?:on|op|am|le|el|il|in data|den|em|w dniu)\b", re.IGNORECASE)
_HEADER_VERB = re.compile(
    r"\b(?:wrote|schreef|schrieb|a\s+écrit|escribió|ha\s+scritto|skrev|napisał|escreveu"
    r"|geschreven)\b",
    re.IGNORECASE,
)
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\b")

_ORIGINAL_MARKER = re.compile(
    r"^\s*-{2,}\s*(?:original\s+message|oorspronkelijk\s+bericht|origineel\s+bericht"
    r"|ursprüngliche\s+nachricht|originalnachricht|message\s+d'origine|message\s+original"
    r"|oprindelig\s+besked|opprinnelig\s+melding|ursprungligt\s+meddelande|messaggio\s+originale"
    r"|forwarded\s+message|doorgestuurd\s+bericht|weitergeleitete\s+nachricht"
    r"|message\s+transféré)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_FIELD_FIRST = re.compile(r"^\s*\*?(?:from|van|von|de|fra|från|da)\s*\*?\s*:", re.I)
_HEADER_FIELD_NEXT = re.compile(
    r"^\s*\*?(?:sent|verzonden|gesendet|envoyé|date|datum|dato|to|aan|an|à|til|subject"
    r"|onderwerp|betreff|objet|emne|cc)\s*\*?\s*:",
    re.IGNORECASE,
)
_RULE = re.compile(r"^\s*_{10,}\s*$")
_SIGNATURE = re.compile(r"^(?:--|[—–]+|-{5,})\s*$")
_PHONE_FOOTER = re.compile(
    r"^\s*(?:sent\s+from\s+my\s|sent\s+from\s+(?:mail|outlook|yahoo)|get\s+outlook\s+for\s"
    r"|verstuurd\s+(?:vanaf|met|via)\s|verzonden\s+(?:vanaf|met|via)\s|outlook\s+voor\s"
    r"|gesendet\s+(?:von|mit)\s|von\s+meinem\s.{1,40}\sgesendet|envoyé\s+(?:de|depuis)\s)",
    re.IGNORECASE,
)
# More of the sender's own lines than this after a ">" block means an answer between quotes.
_TRAILING_OWN_LINES = 3


def _looks_like_reply_header(joined: str, first_line: str) -> bool:
    """ "On … wrote:" and friends: a known start, a writing verb and a colon at the very end,
    with a clock time or an address in it (so "Op 3 mei schreef ik:" in a customer's own
    text is no header). Without a known start ("tir. 18. apr. 2017 kl. 13:09 skrev …:",
    "ср, 30 апр. 2025 г. в 15:19, John <j@x.com>:") the first line must hold a clock time,
    and the header a verb or end in an address."""
    if not joined.endswith(":"):
        return False
    if (
        _HEADER_START.match(joined)
        and _HEADER_VERB.search(joined)
        and ("@" in joined or _TIME.search(joined))
    ):
        return True
    if not _TIME.search(first_line):
        return False
    tail = joined[:-1].rstrip()
    ends_in_address = tail.endswith(">") and "@" in tail[tail.rfind("<") :]
    return ends_in_address or _HEADER_VERB.search(joined) is not None


def _is_reply_header(lines: list[str], index: int) -> bool:
    first = lines[index].strip()
    if not first or first.startswith(">"):
        return False
    joined = ""
    for line in lines[index : index + _HEADER_MAX_LINES]:
        stripped = line.strip()
        # A wrapped address may leave ">:" alone on the next line, which is no quote.
        if not stripped or (stripped.startswith(">") and not stripped.startswith(">:")):
            return False
        joined = f"{joined} {stripped}".strip()
        if len(joined) > _HEADER_MAX_CHARS:
            return False
        if _looks_like_reply_header(joined, first):
            return True
    return False


def _is_header_block(lines: list[str], index: int) -> bool:
    if not _HEADER_FIELD_FIRST.match(lines[index]):
        return False
    return any(_HEADER_FIELD_NEXT.match(line) for line in lines[index + 1 : index + 4])


def _is_quoted(line: str) -> bool:
    return line.lstrip().startswith(">")


def _own_lines_after(lines: list[str]) -> list[int]:
    """For each line, how many of the sender's own (unquoted, non-blank) lines follow it
    before a signature starts; computed once, so long texts stay linear."""
    counts = [0] * len(lines)
    following = 0
    for index in range(len(lines) - 1, -1, -1):
        counts[index] = following
        stripped = lines[index].strip()
        if _SIGNATURE.match(stripped) or _PHONE_FOOTER.match(stripped):
            following = 0
        elif stripped and not stripped.startswith(">"):
            following += 1
    return counts


def _starts_fold(
    lines: list[str], index: int, own_after: list[int], first_quoted: int, last_quoted: int
) -> bool:
    line = lines[index]
    stripped = line.strip()
    if len(stripped) > _HEADER_MAX_CHARS:
        return False
    # The first ">" block folds when it runs to the last quoted line without the sender's
    # own lines in between, and at most a short sign-off follows; answers written between
    # quotes stay visible.
    quote_block = (
        index == first_quoted
        and own_after[index] == own_after[last_quoted]
        and own_after[last_quoted] <= _TRAILING_OWN_LINES
    )
    rule_before_header = (
        _RULE.match(stripped) is not None
        and index + 1 < len(lines)
        and _is_header_block(lines, index + 1)
    )
    return (
        quote_block
        or rule_before_header
        or _SIGNATURE.match(line.rstrip("\r\n ")) is not None
        or _PHONE_FOOTER.match(stripped) is not None
        or _ORIGINAL_MARKER.match(stripped) is not None
        or _is_header_block(lines, index)
        or _is_reply_header(lines, index)
    )


def split_reply(text: str) -> tuple[str, str]:
    """(new part, folded part) of a message's plain text; see the module docstring.

    Never raises; `new + folded` equals `text` up to whitespace at the end of `new`.
    """
    lines = text.splitlines(keepends=True)
    own_after = _own_lines_after(lines)
    quoted = [index for index, line in enumerate(lines) if _is_quoted(line)] or [-1]
    offset = 0
    seen_text = False  # folding never leaves the visible part empty
    for index, line in enumerate(lines):
        if seen_text and _starts_fold(lines, index, own_after, quoted[0], quoted[-1]):
            return text[:offset].rstrip(), text[offset:]
        seen_text = seen_text or bool(line.strip())
        offset += len(line)
    return text, ""
