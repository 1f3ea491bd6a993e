from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from balie.core.tests import corpora
from balie.knowledge import markdown

_SAFE_URL = re.compile(r"^(?:https?:|mailto:|tel:|/|#|[^:/?#]*(?:[/?#]|$))", re.IGNORECASE)


class _Unsafe(HTMLParser):
    """Collects what a browser would run in the HTML: tags outside the allowlist, event
    handlers, style attributes and links or images to script URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in markdown.TAGS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (name == "style" and tag not in ("td", "th")):
                self.found.append(f"{tag}[{name}]")
            if name in ("href", "src") and not _SAFE_URL.match((value or "").strip()):
                self.found.append(f"{tag}[{name}={value}]")


def _dangerous(html: str) -> list[str]:
    parser = _Unsafe()
    parser.feed(html)
    return parser.found


def test_the_bodys_highest_heading_becomes_h2_and_levels_follow() -> None:
    assert markdown.render("## Retour\n\n### Kosten\n\n###### Diep") == (
        "<h2>Retour</h2>\n<h3>Kosten</h3>\n<h4>Diep</h4>\n"
    )


def test_links_keep_safe_targets_only() -> None:
    html = markdown.render(
        "[a](/account/) [b](https://x.nl) [c](javascript:alert(1)) [d](mailto:a@b.nl)"
    )
    assert 'href="/account/"' in html
    assert 'href="https://x.nl"' in html
    assert 'href="mailto:a@b.nl"' in html
    assert "javascript" not in html.split("[c]")[0]


@pytest.mark.parametrize("name", ["IntrudersXSS.txt", "XSS_Polyglots.txt"])
def test_no_xss_payload_survives_rendering(name: str) -> None:
    payloads = (
        corpora.require(corpora.CORPORA / "xss" / name).read_text(errors="replace").splitlines()
    )
    for payload in payloads:
        assert not _dangerous(markdown.render(payload)), payload


def test_naughty_strings_render_without_errors() -> None:
    strings = json.loads(
        corpora.require(corpora.CORPORA / "naughty-strings" / "blns.json").read_text()
    )
    for text in strings:
        assert not _dangerous(markdown.render(text)), text


@given(st.text(max_size=500))
def test_any_text_renders_and_stays_safe(text: str) -> None:
    assert not _dangerous(markdown.render(text))


def test_the_checker_itself_sees_what_would_run() -> None:
    assert _dangerous('<img src="x" onerror="a"><script>1</script><a href="javascript:x">')
    assert not _dangerous('<p><a href="/account/">a</a> <img src="https://x/y.png" alt=""></p>')
