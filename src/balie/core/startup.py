"""Start-up guard: configuration mistakes end in one clear line and a non-zero exit.

An operator who mistypes DATABASE_URL or forgets SECRET_KEY should read what is wrong,
not a traceback wall. Programming errors still raise normally.
"""

from __future__ import annotations

import sys

from balie.core.env import ConfigurationError

EXIT_CONFIGURATION = 2


def fail(message: str) -> None:
    sys.stderr.write(f"balie: {message}\n")
    raise SystemExit(EXIT_CONFIGURATION)


def run_management_command(argv: list[str]) -> None:
    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(argv)
    except ConfigurationError as error:
        fail(str(error))
    except Exception as error:
        message = database_error_message(error)
        if message is None:
            raise
        fail(message)


def database_error_message(error: BaseException) -> str | None:
    """One line for a database that cannot be reached, or None for other errors."""
    from django.db import OperationalError

    if isinstance(error, OperationalError):
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        return f"cannot reach the database (DATABASE_URL): {first_line}"
    return None
