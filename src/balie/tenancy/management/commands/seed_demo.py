"""`balie seed_demo`: the Dutch demo webshop "Kookwinkel De Pollepel" with its sign-in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from balie.tenancy.demo import seeding


class Command(BaseCommand):
    help = (
        "Create the demo shop (replacing an existing one) and print how to sign in. "
        "Deterministic; refuses in production unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the demo shop exists (still prints the sign-in).",
        )
        parser.add_argument(
            "--force", action="store_true", help="Seed even when BALIE_ENV=production."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                "Refusing to load demo data in production (BALIE_ENV=production); "
                "pass --force if you really mean it."
            )
        var_dir = settings.VAR_DIR
        password = seeding.demo_password(var_dir=var_dir)
        existing = seeding.demo_shop()
        if options["if_empty"] and existing is not None:
            sign_in = seeding.sign_in(shop_row=existing, password=password)
            if not (var_dir / seeding.LOGIN_FILE_NAME).exists():
                self.stdout.write(
                    "The demo shop exists but var/demo-login.txt is gone; "
                    "run `balie seed_demo` to recreate it with a new password."
                )
                return
        else:
            sign_in = seeding.demo_seed(now=timezone.now(), password=password)
            seeding.save_sign_in(var_dir=var_dir, sign_in=sign_in)
        self.stdout.write(self.style.SUCCESS(sign_in.text()))
