"""`balie create_api_key --shop S`: a new API key, printed once on stdout.

Only the key goes to stdout, so scripts can capture it: `KEY=$(balie create_api_key --shop s)`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404

from balie.tenancy import selectors, services


class Command(BaseCommand):
    help = "Create an API key for a shop and print it (it is stored hashed and never shown again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", required=True, help="The shop's slug.")
        parser.add_argument("--name", default="Command line", help="What the key is for.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            shop = selectors.access_shop_by_slug(slug=options["shop"].strip())
        except Http404:
            raise CommandError(f"No active shop with slug {options['shop']!r}.") from None
        name = options["name"].strip()
        if not name or len(name) > 80:
            raise CommandError("--name must be 1 to 80 characters.")
        key, raw = services.api_key_create(shop=shop, name=name)
        self.stderr.write(f"API key {key.name!r} for {shop.name}; it is shown only this once:")
        self.stdout.write(raw)
