"""Fixtures for tests that run the real `balie` command in a subprocess."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from psycopg import sql

from balie.core.tests.subprocesses import balie_environment, run_balie


@pytest.fixture
def scratch_database(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment variables for `balie` subprocesses: a fresh, migrated database of the
    kind this test run uses (a SQLite file, or a new database on the PostgreSQL server)."""
    environment = balie_environment(tmp_path)
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        run_balie(["migrate", "--no-input", "--verbosity", "0"], environment, check=True)
        yield environment
        return
    name = f"balie_scratch_{uuid.uuid4().hex[:12]}"
    server = {
        "host": database["HOST"] or "127.0.0.1",
        "port": database["PORT"] or 5432,
        "user": database["USER"],
        "password": database["PASSWORD"] or None,
    }
    with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    credentials = quote(server["user"]) + (
        f":{quote(server['password'])}" if server["password"] else ""
    )
    environment["DATABASE_URL"] = (
        f"postgres://{credentials}@{server['host']}:{server['port']}/{name}"
    )
    try:
        run_balie(["migrate", "--no-input", "--verbosity", "0"], environment, check=True)
        yield environment
    finally:
        with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
