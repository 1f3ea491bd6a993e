"""`balie import_mbox PATH --shop SLUG`: import a mailbox's history from an mbox file.

Stores every message through the inbox's intake path (threads, customers, attachments),
sends nothing, and prints one summary line. See `channels.email.mbox_import`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from balie.channels.email import mbox_import
from balie.tenancy import selectors


class Command(BaseCommand):
    help = "Import an mbox file into a shop's inbox as history (nothing is sent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The mbox file.")
        parser.add_argument("--shop", required=True, help="The shop's slug.")
        parser.add_argument(
            "--mailbox",
            default="",
            help="The shop's address this mail was received at (default: its first mailbox).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Read and count everything; store nothing."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=mbox_import.BATCH_SIZE,
            help="Messages per transaction.",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=mbox_import.default_jobs(),
            help="Processes that parse beside the one that stores (0: parse in this one).",
        )
        parser.add_argument(
            "--max-message-mb",
            type=int,
            default=mbox_import.MESSAGE_MAX_BYTES // (1024 * 1024),
            help="Larger messages are refused (kept in PATH.rejected.mbox).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(_("Bestand niet gevonden: %(path)s") % {"path": path}, returncode=2)
        try:
            shop = selectors.access_shop_by_slug(slug=options["shop"].strip())
        except Http404:
            raise CommandError(
                _("Geen actieve winkel met de korte naam %(slug)r.") % {"slug": options["shop"]},
                returncode=2,
            ) from None
        result = mbox_import.mbox_import(
            shop=shop,
            path=path,
            account=options["mailbox"].strip(),
            dry_run=options["dry_run"],
            batch_size=max(1, options["batch_size"]),
            max_message_bytes=max(1, options["max_message_mb"]) * 1024 * 1024,
            jobs=max(0, options["jobs"]),
        )
        self.stdout.write(_summary(result, dry_run=options["dry_run"]))
        if result.rejected_path and result.reasons_path:
            self.stdout.write(
                _("Geweigerde berichten: %(mbox)s (redenen: %(reasons)s)")
                % {"mbox": result.rejected_path, "reasons": result.reasons_path}
            )


def _summary(result: mbox_import.ImportResult, *, dry_run: bool) -> str:
    values = {
        "read": result.read,
        "stored": result.stored,
        "duplicates": result.duplicates,
        "rejected": result.rejected,
        "seconds": number_format(result.seconds, decimal_pos=1),
        "rate": number_format(result.rate, decimal_pos=0),
    }
    if dry_run:
        return (
            _(
                "Proef: %(read)d berichten gelezen in %(seconds)s s (%(rate)s per seconde): "
                "%(stored)d zouden worden opgeslagen, %(duplicates)d dubbel, "
                "%(rejected)d geweigerd; er is niets opgeslagen."
            )
            % values
        )
    return (
        _(
            "%(read)d berichten gelezen in %(seconds)s s (%(rate)s per seconde): "
            "%(stored)d opgeslagen, %(duplicates)d dubbel, %(rejected)d geweigerd."
        )
        % values
    )
