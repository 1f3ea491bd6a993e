"""The read-path half of the inbox benchmark, run by `bench/inbox.py` in Balie's venv with
PYTHONPATH=bench and DATABASE_URL set to the (PostgreSQL) benchmark database:

    scale.py load --to N                 top up to N conversations (see scale_load), as JSON
    scale.py measure --explain FILE      time the views and searches (see scale_measure)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "balie.settings")
django.setup()

from inboxbench import scale_load, scale_measure  # noqa: E402  (Django is set up first)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("step", choices=["load", "measure"])
    parser.add_argument("--to", type=int)
    parser.add_argument("--explain", type=Path)
    parser.add_argument("--list-runs", type=int, default=30)
    parser.add_argument("--search-runs", type=int, default=20)
    args = parser.parse_args()
    if args.step == "load":
        print(json.dumps(scale_load.load(args.to)))
    else:
        summaries, explained = scale_measure.measure(
            list_runs=args.list_runs, search_runs=args.search_runs
        )
        args.explain.write_text(explained, encoding="utf-8")
        print(json.dumps(summaries))


if __name__ == "__main__":
    sys.exit(main())
