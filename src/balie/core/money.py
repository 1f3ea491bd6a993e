"""Money as integer cents, shown the way the active language writes it ("12,50" in Dutch)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(Decimal("0.01"))


def format_cents(cents: int) -> str:
    """12345 -> "123,45" (nl) or "123.45" (en), with thousands grouped: "1.234,50"."""
    return number_format(cents_to_decimal(cents), decimal_pos=2, use_l10n=True, force_grouping=True)
