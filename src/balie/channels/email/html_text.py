"""Readable plain text from an HTML-only email: blocks become lines, scripts and styles vanish.

This is for search, previews and quoting, not for display: the HTML itself goes to the
inbox's sanitiser unchanged.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Converting more than this is slow and adds nothing to search or a preview.
MAX_HTML_CHARS = 1_000_000
_SKIPPED = frozenset({"script", "style", "head", "title", "template", "xml"})
_LINE = frozenset(
    {"br", "div", "tr", "li", "dd", "dt", "section", "article", "header", "footer", "nav",
     "aside", "address", "figure", "figcaption", "caption", "center", "form", "fieldset",
     "main", "summary", "details"}
)  # fmt: skip
_PARAGRAPH = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "blockquote", "pre",
     "hr"}
)  # fmt: skip
_CELL = frozenset({"td", "th"})
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0]+")
_RUNS_OF_SPACES = re.compile(r"[ \t\u00a0]+")
_TAG = re.compile(r"<[^>]*>")
_BLANK_LINES = re.compile(r"\n{3,}")
# A "<" that no ">" closes before the next "<" cannot start a tag. Python 3.13.0's
# html.parser rescans the rest of the input for each of those (30 KB of "<a " took 11 s),
# so they are escaped first; the scan below stops at the next angle bracket, so it is linear.
_UNCLOSED_TAG_START = re.compile(r"<(?=[^<>]*(?:<|\Z))")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skipping: list[str] = []
        self.preformatted = 0
        self.pending_newlines = 0
        self.bullet = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            # An unclosed <head> or <title> must not swallow the whole body.
            self.skipping.clear()
        if tag in _SKIPPED:
            self.skipping.append(tag)
        elif tag == "pre":
            self.preformatted += 1
        self._break(tag)
        if tag == "li":
            self.bullet = True

    def handle_endtag(self, tag: str) -> None:
        if tag in self.skipping:
            while self.skipping and self.skipping.pop() != tag:
                pass
        elif tag == "pre" and self.preformatted:
            self.preformatted -= 1
        if tag != "br":
            self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._break(tag)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        self._emit(data if self.preformatted else _SPACES.sub(" ", data))

    def _emit(self, text: str) -> None:
        if not text.strip(" "):
            if self.chunks and not self.pending_newlines:
                self.chunks.append(" ")
            return
        if self.pending_newlines and self.chunks:
            self.chunks.append("\n" * self.pending_newlines)
        self.pending_newlines = 0
        if self.bullet:
            self.chunks.append("- ")
            self.bullet = False
        self.chunks.append(text)

    def _break(self, tag: str) -> None:
        # Breaks are collected and written before the next text, so nested blocks
        # (<ul><li><p>) give one break, not three.
        if tag in _PARAGRAPH:
            # A paragraph right after a list bullet stays on the bullet's line.
            self.pending_newlines = max(self.pending_newlines, 1) if self.bullet else 2
        elif tag in _LINE:
            self.pending_newlines = max(self.pending_newlines, 1)
        elif tag in _CELL and not self.pending_newlines:
            self.chunks.append(" ")


def html_to_text(markup: str) -> str:
    markup = _UNCLOSED_TAG_START.sub("&lt;", markup[:MAX_HTML_CHARS])
    try:
        extractor = _TextExtractor()
        extractor.feed(markup)
        extractor.close()
        text = "".join(extractor.chunks)
    except Exception:  # html.parser rarely gives up; strip the tags crudely then
        text = _SPACES.sub(" ", html.unescape(_TAG.sub(" ", markup)))
    lines = (_RUNS_OF_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
