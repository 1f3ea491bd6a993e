"""One POST to a webhook receiver, with a hard time limit and no redirects.

Standard library only (http.client), connected to the address `addresses.target` checked,
with TLS verified against the host name. Redirects are answers, not instructions: a 3xx is
a failed attempt (a receiver that moved must be updated by the shop), so a redirect can
never lead a delivery into an internal network. The whole attempt, connecting included,
ends after TIMEOUT_SECONDS; of the answer only the first RESPONSE_MAX_BYTES are read.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass

from django.utils.translation import gettext as _

from balie.webhooks import addresses, errors

TIMEOUT_SECONDS = 10.0
RESPONSE_MAX_BYTES = 16 * 1024


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer at all
    body: str
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to a checked address while the Host header names the URL's host."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]  # set by HTTPSConnection


def post(url: str, *, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` to `url`; never raises for anything the receiver or network does."""
    started = time.monotonic()
    try:
        target = addresses.target(url)
    except (errors.WebhookUrlInvalid, errors.WebhookHostUnknown) as error:
        return Answer(status=None, body="", error=error.message, duration_ms=_since(started))
    deadline = started + TIMEOUT_SECONDS
    result = _Result(status=None, text="", error="", unreachable=True)
    for address in target.addresses:
        result = _attempt(target, address, body, headers, deadline)
        # The host's next address only when this one refused the connection outright.
        if not result.unreachable or time.monotonic() >= deadline:
            break
    return Answer(
        status=result.status, body=result.text, error=result.error, duration_ms=_since(started)
    )


@dataclass(frozen=True)
class _Result:
    status: int | None
    text: str
    error: str
    unreachable: bool = False


def _attempt(
    target: addresses.Target,
    address: str,
    body: bytes,
    headers: dict[str, str],
    deadline: float,
) -> _Result:
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    remaining = max(deadline - time.monotonic(), 0.01)
    connection = connection_class(target.host, target.port, address=address, timeout=remaining)
    timed_out = threading.Event()

    def abort() -> None:
        # Socket timeouts bound each read, not the whole answer: a receiver dripping a byte
        # at a time is cut off here.
        timed_out.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(remaining, abort)
    timer.daemon = True
    timer.start()
    try:
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read(RESPONSE_MAX_BYTES)
        status = response.status
        text = _text(content)
        error = ""
        if 300 <= status < 400:
            location = response.getheader("Location", "")
            error = _("Doorverwijzing (%(status)d) naar %(location)s niet gevolgd.") % {
                "status": status,
                "location": location[:300] or "?",
            }
        elif not 200 <= status < 300:
            error = _("De server antwoordde met status %(status)d.") % {"status": status}
        return _Result(status=status, text=text, error=error)
    except TimeoutError:
        return _Result(status=None, text="", error=_timeout_message())
    except ssl.SSLError as error:
        message = _("Beveiligde verbinding mislukt: %(error)s") % {"error": error}
        return _Result(status=None, text="", error=message)
    except ConnectionRefusedError:
        message = _("Verbinding geweigerd door %(address)s.") % {"address": address}
        return _Result(status=None, text="", error=message, unreachable=True)
    except (OSError, http.client.HTTPException) as error:
        if timed_out.is_set():
            return _Result(status=None, text="", error=_timeout_message())
        message = _("Verbinding mislukt: %(error)s") % {"error": str(error) or type(error).__name__}
        return _Result(status=None, text="", error=message)
    finally:
        timer.cancel()
        connection.close()


def _timeout_message() -> str:
    return _("Geen antwoord binnen %(seconds)s seconden.") % {
        "seconds": f"{TIMEOUT_SECONDS:g}".replace(".", ",")
    }


def _text(content: bytes) -> str:
    # PostgreSQL refuses NUL in text; the log shows a replacement character instead.
    return content.decode("utf-8", "replace").replace("\x00", "\ufffd")


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)
