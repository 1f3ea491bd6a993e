"""Log lines that show the structured `extra={...}` fields Balie's code logs with.

The standard formatter drops them, so "Enqueued periodic job" would not say which job. This
one appends them as `key=value` pairs, e.g. `... Enqueued periodic job job=prune_finished_work`.
"""

from __future__ import annotations

import logging

# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class KeyValueFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {
            key: value
            for key, value in vars(record).items()
            if key not in _STANDARD
            and not key.startswith("_")
            # Django adds the request object to its records; only plain values are fields.
            and isinstance(value, str | int | float | bool)
        }
        if not extras:
            return line
        pairs = " ".join(
            f"{key}={value!r}" if " " in str(value) else f"{key}={value}"
            for key, value in extras.items()
        )
        first, newline, rest = line.partition("\n")
        return f"{first} {pairs}{newline}{rest}"
