"""`balie create_shop --slug S --name N`: a new shop with default hours and contact option."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from balie.core.errors import DomainError
from balie.tenancy import services


class Command(BaseCommand):
    help = "Create a shop (tenant) with Monday–Friday 9:00–17:00 hours and an email contact option."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--slug", required=True, help="Short name in URLs, e.g. pollepel.")
        parser.add_argument("--name", required=True, help="The shop's name as shoppers see it.")
        parser.add_argument("--support-email", default="", help="The service desk's address.")
        parser.add_argument("--website-url", default="", help="The webshop's address.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            shop = services.shop_create(
                name=options["name"].strip(),
                slug=options["slug"].strip(),
                support_email=options["support_email"].strip(),
                website_url=options["website_url"].strip(),
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        except ValidationError as error:
            problems = "; ".join(
                f"--{field.replace('_', '-')}: {' '.join(messages)}"
                for field, messages in error.message_dict.items()
            )
            raise CommandError(f"Invalid shop: {problems}") from None
        self.stdout.write(
            self.style.SUCCESS(f"Created shop {shop.name} ({shop.slug}, id {shop.pk}).")
        )
