"""`balie serve`: the web server (HTTP + websockets over ASGI, with uvicorn).

With BALIE_EMBEDDED_WORKER (the default) it also runs a task worker and the scheduler as
child processes, so one command runs all of Balie. Ctrl-C or SIGTERM stops all of them.
Before it starts it checks the port, the database, Redis and migrations, and refuses with
one line when something is wrong.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from argparse import ArgumentParser
from collections.abc import Iterator
from typing import Any

import uvicorn
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connections

from balie.core import env, preflight, supervisor

# Seconds a stopping worker may spend finishing its task before it is killed.
CHILD_STOP_GRACE = 20.0


class Server(uvicorn.Server):
    """uvicorn's server without its habit of re-raising the stop signal after shutdown,
    which would kill serve before it has stopped its children."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        handled = (signal.SIGINT, signal.SIGTERM)
        original = {number: signal.signal(number, self.handle_exit) for number in handled}
        try:
            yield
        finally:
            for number, handler in original.items():
                signal.signal(number, handler)


class Command(BaseCommand):
    help = "Serve Balie over HTTP and websockets; with the embedded task worker and scheduler."
    requires_system_checks = []  # checked below, after the port: one line per problem

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on")
        parser.add_argument(
            "--port",
            type=int,
            default=env.integer("PORT", default=8000, minimum=1),
            help="Port to listen on (default: $PORT or 8000)",
        )

    def handle(self, *, host: str, port: int, **options: Any) -> None:
        sock = preflight.listening_socket(host=host, port=port)
        preflight.require_database()
        preflight.require_redis()
        preflight.require_migrated()
        self.check(display_num_errors=False)
        connections.close_all()  # requests open their own connections in other threads

        config = uvicorn.Config(
            "balie.asgi:application",
            lifespan="off",  # Django has no lifespan handler
            log_config=None,  # Django's LOGGING setting already configured logging
            server_header=False,
            proxy_headers=True,
            forwarded_allow_ips=env.string("FORWARDED_ALLOW_IPS", "127.0.0.1"),
            timeout_graceful_shutdown=10,
        )
        server = Server(config)
        children = (
            supervisor.start(supervisor.EMBEDDED_ROLES) if settings.BALIE_EMBEDDED_WORKER else []
        )
        url_host = f"[{host}]" if ":" in host else host
        embedded = " with the task worker and scheduler" if children else ""
        self.stdout.write(
            f"Balie is running at http://{url_host}:{port}/{embedded}. Press Ctrl-C to stop."
        )
        self.stdout.flush()

        died: list[supervisor.Child] = []
        watching = threading.Event()
        watcher = threading.Thread(
            target=_watch, args=(children, server, died, watching), daemon=True
        )
        watcher.start()
        try:
            server.run(sockets=[sock])
        finally:
            watching.set()
            watcher.join()
            supervisor.stop(children, grace=CHILD_STOP_GRACE)
            sock.close()
        if died:
            raise SystemExit(1)


def _watch(
    children: list[supervisor.Child],
    server: Server,
    died: list[supervisor.Child],
    done: threading.Event,
) -> None:
    """Stop the web server as soon as one of the children is gone."""
    while not done.wait(0.5):
        child = supervisor.first_exited(children)
        if child is not None:
            sys.stderr.write(
                f"balie: the {child.role} stopped unexpectedly "
                f"(exit code {child.process.returncode}); stopping Balie\n"
            )
            died.append(child)
            server.should_exit = True
            return
