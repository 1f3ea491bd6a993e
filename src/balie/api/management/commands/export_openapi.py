"""`balie export_openapi`: print the API's OpenAPI schema as stable, indented JSON.

`make openapi-snapshot` writes it to src/balie/api/tests/openapi.json, which a test compares
with the live schema so that every change to the API contract is deliberate.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from balie.api import schema


class Command(BaseCommand):
    help = "Print the OpenAPI schema of /api/ as JSON (for the snapshot test and clients)."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(schema.openapi_json(), ending="")
