"""Running the real `balie` command from tests, with a clean environment."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import balie

SOURCE_DIR = Path(balie.__file__).resolve().parent.parent
PROJECT_DIR = SOURCE_DIR.parent
# Settings a developer's shell or the CI run may have set; tests decide them explicitly.
_OWN_VARIABLES = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "PORT")


def balie_environment(var_dir: Path, **overrides: str) -> dict[str, str]:
    """os.environ without Balie's own settings, with a private BALIE_VAR_DIR."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BALIE_", "EMAIL_", "PYTEST_", *_OWN_VARIABLES))
    }
    environment.update(
        BALIE_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="balie.settings",
        PYTHONPATH=str(SOURCE_DIR),
        PYTHONUNBUFFERED="1",
    )
    environment.update(overrides)
    return environment


def balie_command(*args: str) -> list[str]:
    """The `balie` console script, as `python -m balie` (same entry point, no install needed)."""
    return [sys.executable, "-m", "balie", *args]


def run_balie(
    args: list[str], environment: dict[str, str], *, check: bool = False, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(  # noqa: S603  # our own command
        balie_command(*args),
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"balie {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Running:
    """A `balie` process whose combined output is collected line by line in the background."""

    def __init__(self, args: list[str], environment: dict[str, str]) -> None:
        self.process = subprocess.Popen(  # noqa: S603  # our own command
            balie_command(*args),
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, *, timeout: float = 120) -> None:
        """Block until `text` appears in the output; fail with the output so far if not."""
        with self._changed:
            if not self._changed.wait_for(lambda: text in self.output, timeout=timeout):
                raise AssertionError(f"{text!r} did not appear in:\n{self.output}")

    def stop(self, signal_number: int, *, timeout: float = 60) -> int:
        self.process.send_signal(signal_number)
        return self.process.wait(timeout=timeout)
