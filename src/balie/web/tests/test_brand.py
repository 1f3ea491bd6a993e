from __future__ import annotations

import pytest

from balie.web.brand import DEFAULT_BRAND_COLOUR, brand_palette, contrast


@pytest.mark.parametrize(
    "stored", ["", "red", "#12345", "#1234567", "#zzzzzz", "#fff;}body{display:none", None]
)
def test_it_uses_balies_colour_for_anything_but_rrggbb(stored: str | None) -> None:
    # when
    palette = brand_palette(stored)

    # then
    assert palette.colour == DEFAULT_BRAND_COLOUR


@pytest.mark.parametrize(
    "colour", ["#ffd500", "#ffffff", "#b4441f", "#000000", "#7fdbff", "#d9480f", "#e8336c"]
)
def test_it_keeps_text_readable_on_and_around_any_brand_colour(colour: str) -> None:
    # when
    palette = brand_palette(colour)

    # then
    assert contrast(palette.colour, palette.ink) >= 4.5
    assert contrast(palette.text, "#ffffff") >= 4.5


def test_it_keeps_a_dark_enough_colour_as_it_is() -> None:
    # when
    palette = brand_palette("#B4441F")

    # then
    assert palette.colour == palette.text == "#b4441f"
    assert palette.ink == "#ffffff"
