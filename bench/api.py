"""Foundation benchmark: latency and throughput of Balie's web process.

Starts `balie serve` (uvicorn, one process, no embedded worker) on a free port against a fresh
database with the demo shop, then measures with keep-alive HTTP clients on loopback:

- GET /healthz                                  (the process itself)
- GET /api/v1/customers?limit=50                (API key auth, one page of a list)
- GET /api/v1/orders?status=delivered&limit=50  (filtered list over ~1,000 orders)
- GET /s/pollepel/                              (public help-center page, template render)

Prints requests/second and p50/p95/p99 latency per route. Run on SQLite (default) or on
PostgreSQL with DATABASE_URL=postgres://…/balie_bench (the database is created if missing).

    .venv/bin/python bench/api.py [--seconds 5] [--clients 4]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BALIE = str(ROOT / ".venv" / "bin" / "balie")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not come up")


def hammer(
    port: int, path: str, headers: dict[str, str], seconds: float, clients: int
) -> list[float]:
    """`clients` keep-alive clients sending GET `path` for `seconds`: each request's latency."""
    return hammer_each(port, lambda: (path, headers), seconds, clients)


def hammer_each(
    port: int,
    request: Callable[[], tuple[str, dict[str, str]]],
    seconds: float,
    clients: int,
) -> list[float]:
    """`hammer` with the path and headers of each GET from `request` (called under a lock)."""
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    errors: list[str] = []

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine: list[float] = []
        while time.monotonic() < stop_at:
            with lock:
                path, headers = request()
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            mine.append(time.perf_counter() - started)
            if response.status != 200:
                errors.append(f"{path}: HTTP {response.status}")
                return
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(errors[0])
    return latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def demo_database(prefix: str, **settings: str) -> tuple[dict[str, str], str]:
    """A fresh working folder and database (DATABASE_URL's, else SQLite in the folder),
    migrated, with the demo shop: the environment to run `balie` in, and the database's name."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    env = {
        **os.environ,
        "BALIE_VAR_DIR": str(workdir),
        "BALIE_EMBEDDED_WORKER": "false",
        "DEBUG": "false",
        **settings,
    }
    env.setdefault("BALIE_LOG_LEVEL", "WARNING")
    database = env.get("DATABASE_URL", f"SQLite file in {workdir}")
    if database.startswith("postgres"):
        name = database.rsplit("/", 1)[1]
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-U", "postgres", name],
            check=False,
            capture_output=True,
        )
    subprocess.run([BALIE, "migrate", "--no-input", "--verbosity", "0"], check=True, env=env)
    subprocess.run([BALIE, "seed_demo", "--if-empty"], check=True, env=env, capture_output=True)
    return env, database


@contextlib.contextmanager
def served(env: dict[str, str]) -> Iterator[int]:
    """`balie serve` (one uvicorn process) on a free port while the block runs."""
    port = free_port()
    server = subprocess.Popen([BALIE, "serve", "--port", str(port)], env=env)
    try:
        wait_until_up(port, time.monotonic() + 60)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    env, database = demo_database("balie-bench-")
    key = subprocess.run(
        [BALIE, "create_api_key", "--shop", "pollepel", "--name", "bench"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]

    with served(env) as port:
        auth = {"Authorization": f"Bearer {key}"}
        routes = [
            ("GET /healthz", "/healthz", {}),
            ("GET /api/v1/customers?limit=50", "/api/v1/customers?limit=50", auth),
            (
                "GET /api/v1/orders?status=delivered&limit=50",
                "/api/v1/orders?status=delivered&limit=50",
                auth,
            ),
            ("GET /s/pollepel/ (help center)", "/s/pollepel/", {}),
        ]
        print(
            f"Balie web process: uvicorn, 1 process, {args.clients} keep-alive clients, "
            f"{args.seconds:.0f} s per route, database {database.split('@')[-1]}, "
            f"{os.cpu_count()} cores"
        )
        print(f"{'route':48} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
        for label, path, headers in routes:
            hammer(port, path, headers, 0.5, 1)  # warm-up
            latencies = hammer(port, path, headers, args.seconds, args.clients)
            print(
                f"{label:48} {len(latencies) / args.seconds:8.0f} "
                f"{percentile(latencies, 0.50) * 1000:8.1f} {percentile(latencies, 0.95) * 1000:8.1f} "
                f"{percentile(latencies, 0.99) * 1000:8.1f}"
            )


if __name__ == "__main__":
    sys.exit(main())
