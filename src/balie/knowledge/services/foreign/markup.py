"""HTML article bodies (Zendesk, Freshdesk) to the Markdown our articles are written in.

A small converter on the standard library's parser, so an import needs no new dependency:
paragraphs, line breaks, headings, bold, italic, strikethrough, links (http(s), mailto and
relative only), lists (nested), block quotes, code, simple tables (else their text) and
images (as a link named by the alt text). Script, style, iframes and the like go with their
content; every other tag leaves its text. Text is escaped so that it reads back as the same
words, never as Markdown (or HTML: a literal "<b" becomes "&lt;b"). Code keeps its text
as is; the renderer shows it as code, never as markup. `tree` parses the HTML.
"""

from __future__ import annotations

import posixpath
import re
from typing import TypeGuard
from urllib.parse import quote, unquote, urlsplit

from balie.knowledge.services.foreign import tree

URL_SCHEMES = {"http", "https", "mailto"}
# Tags whose content is its own run of blocks (a paragraph at least).
_FLOW = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure",
    "figcaption", "address", "center", "details", "summary", "dialog", "form", "fieldset",
    "legend", "dl", "dt", "dd", "body", "html", "caption", "hgroup", "li", "tr", "td", "th",
    "thead", "tbody", "tfoot",
}  # fmt: skip
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = _FLOW | _HEADINGS | {"ul", "ol", "blockquote", "pre", "table", "hr"}
_NOT_IN_A_CELL = {"ul", "ol", "pre", "blockquote", "table", "dl"}
_STRONG, _EMPHASIS, _DELETED = {"strong", "b"}, {"em", "i"}, {"del", "s", "strike"}
_CODE = {"code", "kbd", "samp", "tt"}
_SPACE = re.compile(r"[ \t\n\f\v\xa0]+")
_ESCAPED = re.compile(r"([\\`*\[\]|~])")
_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
# At the end of a text too: the next text (after a tag) may go on with "lt;" or "script".
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;|$)")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?]|$)")
_LINE_MARK = re.compile(r"#{1,6}(?:\s|$)|[-+](?:\s|$)|>|[-=]+\s*$")
_LINE_NUMBER = re.compile(r"(\d{1,9})(?=[.)](?:\s|$))")
_LIST_BLOCK = re.compile(r"(?:[-*]|\d{1,9}[.)]) ")
_LANGUAGE = re.compile(r"\b(?:language|lang)-([\w+#.-]{1,30})")
_URL_SAFE = "!#$%&'*+,-./:;=?@[]_~"


def markdown(html: str) -> str:
    """Markdown for an HTML body; never raises."""
    return "\n\n".join(_Renderer().blocks(tree.parse(html).children)).strip()


def text_markdown(text: str) -> str:
    """Markdown that reads as this plain text, paragraph by paragraph."""
    paragraphs = (_SPACE.sub(" ", part).strip() for part in re.split(r"\n\s*\n", text))
    return "\n\n".join(_line_start(_escape(part)) for part in paragraphs if part)


class _Renderer:
    def __init__(self) -> None:
        self.in_cell = False

    def blocks(self, nodes: list[tree.Element | str]) -> list[str]:
        """The Markdown blocks of a run of content, inline parts joined into paragraphs."""
        out: list[str] = []
        inline: list[str] = []
        for node in nodes:
            if isinstance(node, str) or not (node.tag in _BLOCKS or _has_block(node)):
                inline.append(self.inline(node))
                continue
            out.extend(_paragraphs("".join(inline)))
            inline.clear()
            if node.tag == "hr":
                out.append("---")
            elif node.tag in _HEADINGS:
                out.extend(self._heading(node))
            elif node.tag in ("ul", "ol"):
                out.extend(self._list(node, after=out[-1] if out else ""))
            elif node.tag == "blockquote":
                out.extend(self._quote(node))
            elif node.tag == "pre":
                out.extend(_pre(node))
            elif node.tag == "table":
                out.extend(self._table(node))
            else:
                out.extend(self.blocks(node.children))
        out.extend(_paragraphs("".join(inline)))
        return out

    def inline(self, node: tree.Element | str, *, in_link: bool = False) -> str:
        """Inline Markdown; "\n" stands for a line break, blocks inside become lines."""
        if isinstance(node, str):
            return _escape(_SPACE.sub(" ", node))
        tag = node.tag
        if tag == "br":
            return "\n"
        if tag == "img":
            return _image(node, in_link=in_link)
        if tag in _CODE or tag == "pre":
            return _code_span(_plain(node), in_cell=self.in_cell)
        inner = "".join(
            self.inline(child, in_link=in_link or tag == "a") for child in node.children
        )
        if tag in _STRONG:
            return _wrap(inner, "**", "**")
        if tag in _EMPHASIS:
            return _wrap(inner, "*", "*")
        if tag in _DELETED:
            return _wrap(inner, "~~", "~~")
        if tag == "a" and not in_link:
            url = _safe_url(node.attrs.get("href", ""))
            return _wrap(inner, "[", f"]({url})", lines=False) if url else inner
        if tag in ("td", "th"):
            return f" {inner} "
        if tag in _BLOCKS:
            return f"\n{inner}\n"
        return inner

    def _heading(self, node: tree.Element) -> list[str]:
        text = _one_line("".join(self.inline(child) for child in node.children))
        if not text:
            return []
        # A heading's closing "#"s are not its text, so a last "#" of its own is escaped.
        text = text[:-1] + "\\#" if text.endswith("#") and not text.endswith("\\#") else text
        return ["#" * int(node.tag[1]) + " " + text]

    def _list(self, node: tree.Element, *, after: str) -> list[str]:
        items: list[list[str]] = []
        for child in node.children:
            blocks = self.blocks(child.children if _is(child, "li") else [child])
            if _is(child, "li") or not items:
                items.append(blocks)
            else:  # content between items (a list right inside a list) joins the one before
                items[-1].extend(blocks)
        ordered = node.tag == "ol"
        # Two lists in a row with the same marker would read as one: alternate the marker.
        previous = after.split(" ", 1)[0] if _LIST_BLOCK.match(after) else ""
        bullet = "*" if previous == "-" else "-"
        delimiter = ")" if previous[:1].isdigit() and previous.endswith(".") else "."
        number = _start(node.attrs.get("start", "")) if ordered else 0
        lines: list[str] = []
        for blocks in filter(None, items):
            marker = f"{number}{delimiter}" if ordered else bullet
            number += 1
            body = blocks[0]
            for block in blocks[1:]:
                body += ("\n" if _LIST_BLOCK.match(block) else "\n\n") + block
            first, *rest = body.split("\n")
            lines.append(f"{marker} {first}")
            lines.extend(" " * (len(marker) + 1) + line if line else "" for line in rest)
        return ["\n".join(lines)] if lines else []

    def _quote(self, node: tree.Element) -> list[str]:
        inner = "\n\n".join(self.blocks(node.children))
        return (
            ["\n".join(f"> {line}" if line else ">" for line in inner.split("\n"))] if inner else []
        )

    def _table(self, node: tree.Element) -> list[str]:
        caption = [child for child in node.children if _is(child, "caption")]
        out = [block for element in caption for block in self.blocks(element.children)]
        rows = _rows(node)
        width = max((len(cells) for cells in rows), default=0)
        simple = width > 1 and not any(
            cell.attrs.get("colspan", "1").strip() not in ("", "1")
            or cell.attrs.get("rowspan", "1").strip() not in ("", "1")
            or _has_tag(cell, _NOT_IN_A_CELL)
            for cells in rows
            for cell in cells
        )
        if not simple:  # a layout table, or one Markdown cannot hold: its content as text
            for cells in rows:
                out.extend(block for cell in cells for block in self.blocks(cell.children))
            return out
        self.in_cell = True
        texts = [[self._cell(cell) for cell in cells] for cells in rows]
        self.in_cell = False
        lines = ["| " + " | ".join(cells + [""] * (width - len(cells))) + " |" for cells in texts]
        lines.insert(1, "|" + " --- |" * width)
        out.append("\n".join(lines))
        return out

    def _cell(self, cell: tree.Element) -> str:
        return _one_line("".join(self.inline(child) for child in cell.children))


def _is(node: tree.Element | str, tag: str) -> TypeGuard[tree.Element]:
    return isinstance(node, tree.Element) and node.tag == tag


def _has_block(node: tree.Element) -> bool:
    """Whether an inline tag (a <span> or <font> around paragraphs) holds blocks."""
    if node.tag in _STRONG | _EMPHASIS | _DELETED | _CODE or node.tag == "a":
        return False  # these keep their meaning; blocks inside become lines
    return _has_tag(node, _BLOCKS)


def _has_tag(node: tree.Element, tags: set[str]) -> bool:
    return any(
        isinstance(child, tree.Element) and (child.tag in tags or _has_tag(child, tags))
        for child in node.children
    )


def _rows(table: tree.Element) -> list[list[tree.Element]]:
    rows: list[list[tree.Element]] = []
    loose: list[tree.Element] = []  # cells without a <tr>
    for child in table.children:
        if not isinstance(child, tree.Element):
            continue
        if child.tag in ("thead", "tbody", "tfoot"):
            rows.extend(_rows(child))
        elif child.tag == "tr":
            rows.append([cell for cell in child.children if _is_cell(cell)])
        elif child.tag in ("td", "th"):
            loose.append(child)
    return [*rows, loose] if loose else rows


def _is_cell(node: tree.Element | str) -> TypeGuard[tree.Element]:
    return isinstance(node, tree.Element) and node.tag in ("td", "th")


def _paragraphs(inline: str) -> list[str]:
    """Paragraphs of inline Markdown: one line break is a hard break, two end a paragraph."""
    out: list[str] = []
    lines: list[str] = []
    for segment in inline.split("\n"):
        line = re.sub(" {2,}", " ", segment).strip()
        if line:
            lines.append(_line_start(line))
        elif lines:
            out.append("\\\n".join(lines))
            lines = []
    if lines:
        out.append("\\\n".join(lines))
    return out


def _escape(text: str) -> str:
    text = _ESCAPED.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    return _TAG_START.sub("&lt;", _ENTITY.sub("&amp;", text))


def _line_start(line: str) -> str:
    """Escape what would make a line of text a heading, list item, quote or rule."""
    if _LINE_MARK.match(line):
        return "\\" + line
    number = _LINE_NUMBER.match(line)
    return number.group(1) + "\\" + line[number.end() :] if number else line


def _one_line(inline: str) -> str:
    return re.sub(r"\s+", " ", inline).strip()


def _wrap(inner: str, opening: str, closing: str, *, lines: bool = True) -> str:
    """Markup around text, with its outer spaces outside (`** a **` is no emphasis)."""
    inner = re.sub(r" *\n[ \n]*", "\n" if lines else " ", inner)
    core = inner.strip(" \n")
    if not core:
        return " " if inner else ""
    lead = inner[: len(inner) - len(inner.lstrip(" \n"))]
    trail = inner[len(inner.rstrip(" \n")) :]
    return f"{lead[:1]}{opening}{core}{closing}{trail[:1]}"


def _safe_url(raw: str) -> str | None:
    url = re.sub(r"[\x00-\x1f\x7f]", "", raw).strip()
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if not url or (scheme and scheme.group(1).lower() not in URL_SCHEMES):
        return None
    return quote(url, safe=_URL_SAFE)


def _image(node: tree.Element, *, in_link: bool) -> str:
    src = _safe_url(node.attrs.get("src", ""))
    alt = _SPACE.sub(" ", node.attrs.get("alt", "")).strip()
    if not alt and src:
        alt = posixpath.basename(unquote(urlsplit(src).path)) or src
    text = _escape(alt)
    return f"[{text}]({src})" if src and text and not in_link else text


def _plain(node: tree.Element | str) -> str:
    """The text of a tree as it is, for code: line breaks kept, nothing escaped."""
    if isinstance(node, str):
        return node
    if node.tag == "br":
        return "\n"
    text = "".join(_plain(child) for child in node.children)
    return f"\n{text}\n" if node.tag in _FLOW and node.tag not in ("td", "th") else text


def _code_span(text: str, *, in_cell: bool) -> str:
    text = _one_line(text)
    if not text:
        return ""
    if in_cell:  # in a table a "|" ends the cell, even in code, unless escaped
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _pre(node: tree.Element) -> list[str]:
    text = _plain(node).removeprefix("\n").rstrip()
    if not text.strip():
        return []
    fence = "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    classes = " ".join(
        element.attrs.get("class", "")
        for element in [node, *node.children]
        if isinstance(element, tree.Element)
    )
    language = _LANGUAGE.search(classes)
    return [f"{fence}{language.group(1) if language else ''}\n{text}\n{fence}"]


def _start(value: str) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        return 1
    return number if 0 <= number <= 999_999_999 else 1
