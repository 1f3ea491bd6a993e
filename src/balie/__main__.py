"""The `balie` command: Django's management commands with Balie's settings.

`balie serve`, `balie worker` and `balie scheduler` are the process roles; every other
management command (`balie migrate`, `balie seed_demo`, …) works as with manage.py.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.settings")
    from balie.core.startup import run_management_command

    run_management_command(sys.argv)


if __name__ == "__main__":
    main()
