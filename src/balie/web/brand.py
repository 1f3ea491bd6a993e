"""A shop's brand colour, made safe to put in a page.

The colour goes into a CSS custom property, so it is checked against `#rrggbb` again here
(never trust a stored value to be clean), and the text colours around it are chosen so the
contrast meets WCAG AA (4.5:1) whatever colour the shop picked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DEFAULT_BRAND_COLOUR = "#1a7f5a"
_HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_INK_DARK = "#14171a"
_INK_LIGHT = "#ffffff"
# Mid-tone colours (an orange like #d9480f) reach 4.5:1 with neither ink above; pure black
# reaches it on every colour white does not.
_INK_BLACK = "#000000"
_AA_CONTRAST = 4.5


@dataclass(frozen=True)
class BrandPalette:
    colour: str  # the shop's colour, for backgrounds of buttons and the page header
    ink: str  # text on top of `colour`
    text: str  # the colour (darkened when needed) for links and accents on white


def _channel(value: int) -> float:
    srgb = value / 255
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def _luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _darken(colour: str, factor: float) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (red, green, blue)))


def brand_palette(colour: str | None) -> BrandPalette:
    """The palette for `colour`, or for Balie's green when it is not a `#rrggbb` value."""
    if not colour or not _HEX_COLOUR.fullmatch(colour):
        colour = DEFAULT_BRAND_COLOUR
    colour = colour.lower()
    ink = max((_INK_LIGHT, _INK_DARK), key=lambda candidate: contrast(colour, candidate))
    if contrast(colour, ink) < _AA_CONTRAST:
        ink = _INK_BLACK
    text = colour
    factor = 1.0
    while contrast(text, _INK_LIGHT) < _AA_CONTRAST and factor > 0:
        factor = round(factor - 0.05, 2)
        text = _darken(colour, factor)
    return BrandPalette(colour=colour, ink=ink, text=text)
