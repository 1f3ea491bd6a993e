"""HTML to a tree of elements, nested as a browser would nest them (near enough for article
bodies): a new <li>, <tr> or cell closes the open one, an end tag closes what it encloses,
stray end tags are ignored, and script, style, iframes and the like are left out with all
they contain. Entities are decoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

# Deeper nesting than any article needs is flattened (its text kept), which also bounds the
# recursion that renders it.
MAX_DEPTH = 48
DROPPED = {
    "script", "style", "iframe", "frame", "frameset", "noscript", "template", "object",
    "svg", "math", "head", "title", "video", "audio", "canvas",
}  # fmt: skip
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
# Closing what an open tag implies, as browsers do: a new <li> ends the last one.
_IMPLIED = {
    "li": ({"li"}, {"ul", "ol"}),
    "dt": ({"dt", "dd"}, {"dl"}),
    "dd": ({"dt", "dd"}, {"dl"}),
    "tr": ({"tr"}, {"table"}),
    "td": ({"td", "th"}, {"tr", "table"}),
    "th": ({"td", "th"}, {"tr", "table"}),
    "thead": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tbody": ({"thead", "tbody", "tfoot"}, {"table"}),
    "tfoot": ({"thead", "tbody", "tfoot"}, {"table"}),
}


def parse(html: str) -> Element:
    """The root element of an HTML fragment; never raises."""
    html = html.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    builder = _Builder()
    try:
        builder.feed(html)
        builder.close()
    except AssertionError:
        # The standard parser gives up on some malformed <!…> declarations: read them as text.
        builder = _Builder()
        builder.feed(html.replace("<!", "&lt;!"))
        builder.close()
    return builder.root


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element | str] = field(default_factory=list)


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root", {})
        self.stack = [self.root]
        self.dropping: tuple[str, int] | None = None  # the dropped tag and how deep in it

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping is not None:
            name, depth = self.dropping
            self.dropping = (name, depth + 1) if tag == name else self.dropping
            return
        if tag in DROPPED:
            self.dropping = (tag, 1)
            return
        self._close_implied(tag)
        if len(self.stack) >= MAX_DEPTH and tag not in VOID:
            return
        element = Element(tag, {})
        for name, value in attrs:
            element.attrs.setdefault(name, value or "")
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping is not None:
            name, depth = self.dropping
            if tag == name:
                self.dropping = (name, depth - 1) if depth > 1 else None
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if self.dropping is None:
            self.stack[-1].children.append(data)

    def _close_implied(self, tag: str) -> None:
        closes, scope = _IMPLIED.get(tag, (set(), set()))
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag in closes:
                del self.stack[index:]
                return
            if self.stack[index].tag in scope:
                return
