"""`balie import_kb PATH --shop SLUG`: import articles from JSON Lines or CSV, or from a
Zendesk Guide or Freshdesk export (`--format zendesk|freshdesk`, else recognised by content).

Checks every row first; with any bad row it changes nothing and lists each by line number,
unless `--valid-only` imports the good rows. See `knowledge.services.transfer`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from balie.knowledge import errors, services
from balie.tenancy import selectors
from balie.tenancy.models import Shop


class Command(BaseCommand):
    help = "Import knowledge-base articles (JSON Lines, CSV, Zendesk or Freshdesk) into a shop."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The .jsonl, .csv or exported .json file.")
        parser.add_argument("--shop", required=True, help="The shop's slug.")
        parser.add_argument(
            "--format",
            choices=("auto", "jsonl", "csv", "zendesk", "freshdesk"),
            default="auto",
            help="Default: by name and content.",
        )
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="Import the valid rows even when others are bad (they are still listed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        shop = shop_from_options(options)
        path = Path(options["path"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Bestand niet te lezen: %(path)s (%(error)s)") % {"path": path, "error": error},
                returncode=2,
            ) from None
        file_format = options["format"]
        if file_format == "auto":
            file_format = services.import_format(path.name, content)
        try:
            result = services.knowledge_import(
                shop=shop,
                content=content,
                file_format=file_format,
                valid_only=options["valid_only"],
            )
        except errors.ImportInvalid as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(error.message, returncode=1) from None
        for problem in result.problems:
            self.stderr.write(problem)
        self.stdout.write(
            _(
                "%(created)d nieuw, %(updated)d gewijzigd, %(unchanged)d ongewijzigd, "
                "%(skipped)d regels overgeslagen."
            )
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "skipped": len(result.problems),
            }
        )


def shop_from_options(options: dict[str, Any]) -> Shop:
    try:
        return selectors.access_shop_by_slug(slug=options["shop"].strip())
    except Http404:
        raise CommandError(
            _("Geen actieve winkel met de korte naam %(slug)r.") % {"slug": options["shop"]},
            returncode=2,
        ) from None
