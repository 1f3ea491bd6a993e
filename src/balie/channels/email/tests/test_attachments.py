from __future__ import annotations

import pytest

from balie.channels.email.attachments import clean_filename, size_label, too_large_reason


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("factuur.pdf", "factuur.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\jan\\Bureaublad\\bon.jpg", "bon.jpg"),
        ("rekening\u202egpj.exe", "rekeninggpj.exe"),
        ("re\x00ke\x1bning.pdf", "rekening.pdf"),
        ('wat?<is>"dit"*.txt', "watisdit.txt"),
        ("  ..verborgen.txt.  ", "verborgen.txt"),
        ("a\tb\nc.txt", "a b c.txt"),
    ],
)
def test_file_names_lose_paths_and_unsafe_characters(name: str, expected: str) -> None:
    # when / then
    assert clean_filename(name, number=1, content_type="application/pdf") == expected


def test_unnamed_parts_are_numbered_with_an_extension_for_their_type() -> None:
    # when / then
    assert clean_filename("", number=3, content_type="application/pdf") == "bijlage-3.pdf"
    assert clean_filename("../", number=4, content_type="application/x-onbekend") == "bijlage-4"
    assert clean_filename("", number=1, content_type="application/ms-tnef") == "winmail.dat"


def test_long_names_are_cut_but_keep_their_extension() -> None:
    # when
    name = clean_filename("x" * 400 + ".docx", number=1, content_type="")

    # then
    assert len(name) == 150
    assert name.endswith("x.docx")


def test_sizes_read_as_dutch_writes_them() -> None:
    # when / then
    assert size_label(int(31.4 * 1024 * 1024)) == "31,4 MB"
    assert size_label(25 * 1024 * 1024) == "25 MB"
    assert size_label(812 * 1024) == "812 kB"
    assert (
        too_large_reason(size=int(31.4 * 1024 * 1024), limit=25 * 1024 * 1024)
        == "te groot: 31,4 MB (max. 25 MB)"
    )
