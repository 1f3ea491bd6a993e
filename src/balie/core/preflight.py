"""Checks `balie serve` makes before it starts: each failure is one line for the operator.

Every check raises `ConfigurationError` with a message that says what to do; the `balie`
command prints it as `balie: …` and exits with code 2 (see `balie.core.startup`).
"""

from __future__ import annotations

import errno
import socket
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from balie.core import readiness
from balie.core.env import ConfigurationError


def listening_socket(*, host: str, port: int) -> socket.socket:
    """A socket bound to host:port, handed to the ASGI server so no one can take the port
    between this check and the server start."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
    except socket.gaierror as error:
        raise ConfigurationError(f"cannot listen on {host}: {error.strerror}") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        if error.errno == errno.EADDRINUSE:
            raise ConfigurationError(
                f"port {port} is in use; set PORT=… or stop the other process"
            ) from None
        raise ConfigurationError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.set_inheritable(False)
    return sock


def require_database() -> None:
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise ConfigurationError(
            f"cannot reach the database (DATABASE_URL): {readiness.describe(error)}"
        ) from None


def require_migrated() -> None:
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise ConfigurationError("the database is not up to date; run `balie migrate` first")


def require_redis() -> None:
    """The channel layer and the cache answer (trivially true without REDIS_URL)."""
    layer = readiness.check_channel_layer()
    if not layer["ok"]:
        raise ConfigurationError(
            f"cannot reach the channel layer ({_redis_address()}): {layer['detail']}"
        )
    token = uuid.uuid4().hex
    try:
        cache.set("balie:preflight", token, timeout=10)
        answered = cache.get("balie:preflight") == token
    except Exception as error:
        raise ConfigurationError(
            f"cannot reach the cache ({_redis_address()}): {readiness.describe(error)}"
        ) from None
    if not answered:
        raise ConfigurationError(f"the cache ({_redis_address()}) does not keep what it is given")


def _redis_address() -> str:
    """REDIS_URL without a password, for messages; or the in-memory default."""
    if not settings.REDIS_URL:
        return "in memory"
    parts = urlsplit(settings.REDIS_URL)
    host = parts.hostname or parts.path
    port = f":{parts.port}" if parts.port else ""
    return f"REDIS_URL={parts.scheme}://{host}{port}"
