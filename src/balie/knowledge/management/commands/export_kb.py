"""`balie export_kb --shop SLUG [--format jsonl|csv]`: the whole knowledge base to stdout, in
the format `import_kb` reads back."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from balie.knowledge import services
from balie.knowledge.management.commands.import_kb import shop_from_options


class Command(BaseCommand):
    help = "Export a shop's knowledge-base articles as JSON Lines or CSV (to stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", required=True, help="The shop's slug.")
        parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")

    def handle(self, *args: Any, **options: Any) -> None:
        shop = shop_from_options(options)
        for chunk in services.knowledge_export(shop=shop, file_format=options["format"]):
            self.stdout.write(chunk, ending="")
