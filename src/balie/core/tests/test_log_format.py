from __future__ import annotations

import logging

from balie.core.log_format import KeyValueFormatter


def record(message: str, **extra: object) -> logging.LogRecord:
    return logging.makeLogRecord({"msg": message, "levelname": "INFO", "name": "balie", **extra})


def test_structured_fields_follow_the_message_as_key_value_pairs() -> None:
    line = KeyValueFormatter("%(levelname)s %(message)s").format(
        record("Enqueued periodic job", job="prune", count=3)
    )
    assert line == "INFO Enqueued periodic job job=prune count=3"


def test_values_with_spaces_are_quoted_and_plain_lines_stay_as_they_are() -> None:
    formatter = KeyValueFormatter("%(message)s")
    assert (
        formatter.format(record("Heartbeat failed", detail="no such table"))
        == "Heartbeat failed detail='no such table'"
    )
    assert formatter.format(record("Starting scheduler")) == "Starting scheduler"


def test_objects_such_as_djangos_request_are_left_out() -> None:
    line = KeyValueFormatter("%(message)s").format(
        record("Not Found: /x", status_code=404, request=object())
    )
    assert line == "Not Found: /x status_code=404"
