"""The shortcut for large attachments gives the tree the full parse gives, or steps aside."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balie.channels.email import large_parts
from balie.core.tests import corpora


def _tree(message: Message) -> list[object]:
    """Everything of a parsed mail the inbox reads: headers, bodies and defects per part."""
    return [
        (part.items(), None if part.is_multipart() else part.get_payload(),
         [type(defect).__name__ for defect in part.defects])
        for part in message.walk()
    ]  # fmt: skip


def _full(data: bytes) -> Message:
    return BytesParser(policy=policy.compat32).parsebytes(data)


def _mail(files: list[bytes], *, crlf: bool) -> bytes:
    message = EmailMessage()
    message["From"], message["To"] = "Fien <fien@example.nl>", "service@pollepel.nl"
    message["Subject"], message["Message-ID"] = "Foto's van de pan", "<groot@example.nl>"
    message.set_content("Hoi, de foto's zitten erbij.")
    message.add_alternative("<p>Hoi, de foto's zitten erbij.</p>", subtype="html")
    for number, content in enumerate(files):
        message.add_attachment(content, maintype="image", subtype="jpeg", filename=f"{number}.jpg")
    data = message.as_bytes()
    return data.replace(b"\n", b"\r\n") if crlf else data


_FILES = st.lists(
    st.integers(min_value=1, max_value=60_000).map(
        lambda size: bytes(range(256)) * (size // 256 + 1)
    ),
    min_size=1,
    max_size=3,
)
# What breaks a mail on its way: cut short, a byte dropped or doubled, line breaks mangled,
# a base64 body with a stray character, a boundary that is not the declared one.
_DAMAGE = st.sampled_from(
    ["none", "cut", "drop", "insert-dashes", "lone-cr", "stray", "boundary", "header-garbage"]
)


def _damaged(data: bytes, damage: str, at: float) -> bytes:
    position = int(len(data) * at)
    if damage == "cut":
        return data[:position]
    if damage == "drop":
        return data[:position] + data[position + 1 :]
    if damage == "insert-dashes":
        return data[:position] + b"\n--" + data[position:]
    if damage == "lone-cr":
        return data.replace(b"\r\n", b"\r")
    if damage == "stray":
        return data[:position] + b"*" + data[position:]
    if damage == "boundary":
        return data.replace(b'boundary="', b'boundary="x', 1)
    if damage == "header-garbage":  # a line that is no header ends a part's headers early
        encoding = b"Content-Transfer-Encoding: base64"
        return data.replace(encoding, encoding + b"\nno header here", 1)
    return data


@settings(max_examples=150, deadline=None)
@given(_FILES, st.booleans(), _DAMAGE, st.floats(min_value=0.3, max_value=0.99))
def test_a_large_mail_parses_as_the_full_parse_parses_it(
    files: list[bytes], crlf: bool, damage: str, at: float
) -> None:
    # given a mail with attachments, whole or damaged, and the shortcut taken at any size
    data = _damaged(_mail(files, crlf=crlf), damage, at)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(large_parts, "MIN_MAIL_BYTES", 0)
        patch.setattr(large_parts, "MIN_BODY_BYTES", 1)

        # when
        parsed = large_parts.parse(data)

    # then
    assert _tree(parsed) == _tree(_full(data))


def test_a_large_attachment_is_not_read_line_by_line() -> None:
    # given a mail with a 2 MB attachment
    data = _mail([b"\xff\xd8" * 1_000_000], crlf=True)

    # when
    reduced, bodies = large_parts._reduced(data)

    # then the parser gets a few kilobytes; the body comes back into its part whole
    assert len(reduced) < 4_000
    assert len(bodies) == 1
    (attachment,) = [part for part in large_parts.parse(data).walk() if part.get_filename()]
    assert attachment.get_payload(decode=True) == b"\xff\xd8" * 1_000_000


@pytest.mark.parametrize(
    "path",
    sorted(path for path in corpora.EMAILS.glob("*") if path.is_file())
    if corpora.EMAILS.is_dir()
    else [],
    ids=lambda path: path.name,
)
def test_every_corpus_mail_parses_as_the_full_parse_parses_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the shortcut for mail of any size
    monkeypatch.setattr(large_parts, "MIN_MAIL_BYTES", 0)
    monkeypatch.setattr(large_parts, "MIN_BODY_BYTES", 1)
    data = path.read_bytes()

    # when / then
    assert _tree(large_parts.parse(data)) == _tree(_full(data))
