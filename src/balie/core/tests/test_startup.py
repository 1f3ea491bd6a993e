"""Misconfiguration ends in one `balie: …` line and exit code 2, never a traceback."""

from __future__ import annotations

import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from balie.core.tests.subprocesses import PROJECT_DIR, balie_environment, free_port, run_balie


@pytest.fixture
def port_in_use() -> Iterator[int]:
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        yield other.getsockname()[1]


def assert_one_line(result: subprocess.CompletedProcess[str], starts_with: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"balie: {starts_with}"), result.stderr


@pytest.mark.parametrize(
    ("variables", "starts_with"),
    [
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL must be sqlite:///… or postgres://…"),
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/x"},
            "cannot reach the database (DATABASE_URL): OperationalError",
        ),
        ({"REDIS_URL": "redis://127.0.0.1:1/0"}, "cannot reach the channel layer (REDIS_URL="),
        ({"REDIS_URL": "http://127.0.0.1"}, "REDIS_URL must start with redis://"),
        ({"BALIE_ENV": "production"}, "SECRET_KEY (or SECRET_KEY_FILE) is required"),
        ({"PORT": "acht"}, "PORT='acht' is not a whole number"),
    ],
    ids=["unknown-database", "database-down", "redis-down", "not-redis", "no-secret", "bad-port"],
)
def test_serve_refuses_a_misconfiguration_with_one_line(
    tmp_path: Path, variables: dict[str, str], starts_with: str
) -> None:
    # given
    environment = balie_environment(tmp_path, **variables)
    port = [] if "PORT" in variables else ["--port", str(free_port())]

    # when
    result = run_balie(["serve", *port], environment)

    # then
    assert_one_line(result, starts_with)


def test_serve_refuses_a_port_in_use_with_one_line(tmp_path: Path, port_in_use: int) -> None:
    # when
    result = run_balie(["serve", "--port", str(port_in_use)], balie_environment(tmp_path))

    # then
    assert_one_line(result, f"port {port_in_use} is in use; set PORT=… or stop the other process")


def test_serve_refuses_a_database_that_is_not_migrated(tmp_path: Path) -> None:
    # when
    result = run_balie(["serve", "--port", str(free_port())], balie_environment(tmp_path))

    # then
    assert_one_line(result, "the database is not up to date; run `balie migrate` first")


def test_other_commands_report_an_unreachable_database_in_one_line(tmp_path: Path) -> None:
    # given
    environment = balie_environment(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/x")

    # when
    result = run_balie(["migrate"], environment)

    # then
    assert_one_line(result, "cannot reach the database (DATABASE_URL)")


def test_the_production_settings_pass_the_deployment_checks(tmp_path: Path) -> None:
    # given
    environment = balie_environment(
        tmp_path,
        BALIE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(45)[:60],
        ALLOWED_HOSTS="balie.example.nl",
    )

    # when
    result = subprocess.run(  # noqa: S603  # our own manage.py
        [
            sys.executable,
            str(PROJECT_DIR / "manage.py"),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # then
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
