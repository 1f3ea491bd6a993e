"""Fixtures of the email channel's tests: a real dovecot IMAP server (see `dovecot.py`) and
a real SMTP server (see `smtp_server.py`)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from balie.channels.email.tests.dovecot import (
    DovecotServer,
    DovecotUnavailable,
    dovecot_version,
    start_dovecot,
)
from balie.channels.email.tests.smtp_server import (  # noqa: F401  # fixtures
    smtp_mailbox,
    smtp_server,
    smtp_server_session,
)


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    """One private dovecot per test session (per xdist worker).

    Without dovecot the test is skipped with the reason, unless BALIE_REQUIRE_DOVECOT=1 (as
    in CI), then it fails.
    """
    try:
        dovecot_version()
    except DovecotUnavailable as error:
        if os.environ.get("BALIE_REQUIRE_DOVECOT") == "1":
            pytest.fail(f"{error}; BALIE_REQUIRE_DOVECOT=1 requires it")
        pytest.skip(str(error))
    # A short path of our own: dovecot's sockets live under it (Unix socket paths max ~107).
    root = Path(tempfile.mkdtemp(prefix="balie-dovecot-"))
    root.chmod(0o711)  # run as root, dovecot's mail user (nobody) must pass through
    server = start_dovecot(root / "server")
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def dovecot(dovecot_server: DovecotServer) -> DovecotServer:
    """The dovecot server with an empty INBOX and no other folders."""
    dovecot_server.reset()
    return dovecot_server
