"""Article bodies: Markdown (CommonMark) to safe HTML.

markdown-it renders with raw HTML off, so `<script>` typed in an article shows as text; nh3
then keeps only the tags Markdown makes, so no later change of renderer or option can let
markup through. Links may be relative (to the shop's own pages) or http(s)/mailto/tel;
images only from http(s) or the shop's own paths.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "img", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "del",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "td": {"style"},
    "th": {"style"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# The page's h1 is the article's title: the body's highest heading becomes h2, the others
# follow it (no level skipped), and nothing goes below h4.
TOP_HEADING, LOWEST_HEADING = 2, 4
_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_renderer.enable("table")
_renderer.enable("strikethrough")


def _shift_headings(state: object) -> None:
    tokens = [
        token
        for token in state.tokens  # type: ignore[attr-defined]  # markdown-it's StateCore
        if token.type in ("heading_open", "heading_close")
    ]
    if not tokens:
        return
    highest = min(int(token.tag[1]) for token in tokens)
    for token in tokens:
        level = int(token.tag[1]) - highest + TOP_HEADING
        token.tag = f"h{min(level, LOWEST_HEADING)}"


_renderer.core.ruler.push("balie_headings", _shift_headings)


def render(text: str) -> str:
    """Safe HTML for a Markdown body; never raises on any input string."""
    if not text.strip():
        return ""
    return nh3.clean(
        _renderer.render(text),
        tags=TAGS,
        attributes=ATTRIBUTES,
        # Table alignment is all the style markdown-it writes; anything else is dropped.
        filter_style_properties={"text-align"},
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The words of a Markdown body without its markup, for snippets and the index."""
    tokens = _renderer.parse(text)
    parts: list[str] = []
    for token in tokens:
        if token.type == "inline" and token.children:
            parts.append(
                "".join(
                    child.content
                    for child in token.children
                    if child.type in ("text", "code_inline")
                )
            )
        elif token.type in ("code_block", "fence"):
            parts.append(token.content)
    return "\n".join(part for part in parts if part)
