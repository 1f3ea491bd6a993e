"""`balie create_agent --shop S --email E --role R`: make someone an agent of a shop.

Prints a one-time link to choose a password, or with --generate-password a generated
password; either is shown once and never stored in the clear.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.http import Http404

from balie.core.errors import DomainError
from balie.tenancy import selectors, services
from balie.tenancy.models import Role

ROLES = ", ".join(Role.values)


class Command(BaseCommand):
    help = "Make an email address an agent of a shop and print how they sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shop", required=True, help="The shop's slug.")
        parser.add_argument("--email", required=True, help="The agent's email address.")
        parser.add_argument("--role", default=Role.AGENT.value, help=f"One of {ROLES}.")
        parser.add_argument("--name", default="", help="Full name (for new users).")
        parser.add_argument(
            "--generate-password",
            action="store_true",
            help="Set and print a generated password instead of a set-password link.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            shop = selectors.access_shop_by_slug(slug=options["shop"].strip())
        except Http404:
            raise CommandError(f"No active shop with slug {options['shop']!r}.") from None
        email = options["email"].strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"{email!r} is not a valid email address.") from None
        try:
            role = Role(options["role"].strip().lower())
        except ValueError:
            raise CommandError(f"Unknown role {options['role']!r}; use one of {ROLES}.") from None
        password = secrets.token_urlsafe(12) if options["generate_password"] else None
        try:
            membership = services.agent_create(
                shop=shop,
                email=email,
                role=role,
                full_name=options["name"].strip(),
                password=password,
            )
        except DomainError as error:
            raise CommandError(error.message) from None
        user = membership.user
        self.stdout.write(self.style.SUCCESS(f"{user.email} is now {role.value} of {shop.name}."))
        if password is not None and user.check_password(password):
            self.stdout.write(f"Password (shown once; change it after signing in): {password}")
        elif password is not None:
            self.stdout.write("This user already had an account; their password is unchanged.")
        else:
            link = services.password_set_link(user=user)
            hours = settings.PASSWORD_RESET_TIMEOUT // 3600
            self.stdout.write(
                f"Choose a password here (link works once, for {hours} hours): {link}"
            )
