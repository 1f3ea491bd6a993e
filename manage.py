#!/usr/bin/env python
"""Django's command-line utility for Balie (same as the `balie` command)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.settings")
    from balie.core.startup import run_management_command

    run_management_command(sys.argv)


if __name__ == "__main__":
    main()
