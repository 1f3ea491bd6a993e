"""The HTML of incoming messages, made safe to show to agents (with nh3).

What stays: text structure (paragraphs, lists, tables, quotes, emphasis), links to http(s),
mailto and tel, and inline images that point at one of the message's own attachments
("cid:…", which the conversation view resolves to the attachment).

What goes: scripts and styles with their content, event handlers, style attributes (CSS can
load remote URLs), forms and embeds, relative links (they would point into Balie), and every
remote or data: image. Remote images are how senders track opens (1×1 pixels) and load
content the agent did not ask for; an image without a safe source is replaced by its alt text,
a pixel without one disappears.
"""

from __future__ import annotations

import html
import re

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "center", "cite", "code", "col",
    "colgroup", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "li", "ol", "p", "pre", "q", "s", "small", "span", "strike",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
# Removed together with everything inside them, not just the tags.
CONTENT_TAGS = {"script", "style", "title", "head", "noscript", "template", "xmp", "noembed"}
ATTRIBUTES = {
    "*": {"dir", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel", "cid"}

# nh3 serialises attributes as name="value" with quotes escaped, so this finds whole tags.
_IMG_TAG = re.compile(r'<img(?P<attrs>(?:\s+[a-z-]+(?:="[^"]*")?)*)\s*/?>')
_ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')


def _keep_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "src":
        # Only the message's own inline parts; never a URL that phones home.
        return value if value.lower().startswith("cid:") else None
    if attribute == "href" and value.lower().startswith("cid:"):
        return None
    return value


def _img_without_source(match: re.Match[str]) -> str:
    attributes: dict[str, str] = dict(_ATTRIBUTE.findall(match["attrs"]))
    if "src" in attributes:
        return match[0]
    # The alt text is still escaped as nh3 wrote it: keep it escaped, as text.
    return attributes.get("alt", "")


def sanitize_html(raw: str) -> str:
    """Safe HTML for the agent's screen; never raises on any input string."""
    if not raw.strip():
        return ""
    cleaned = nh3.clean(
        raw,
        tags=TAGS,
        clean_content_tags=CONTENT_TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        url_relative="deny",
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return _IMG_TAG.sub(_img_without_source, cleaned)


def html_to_text(safe_html: str) -> str:
    """A rough plain-text version of sanitised HTML, for messages sent without a text part."""
    without_tags = nh3.clean(
        re.sub(r"(?i)<br\s*/?>|</(p|div|tr|li|h\d)>", "\n", safe_html), tags=set()
    )
    return html.unescape(re.sub(r"\n{3,}", "\n\n", without_tags)).strip()
