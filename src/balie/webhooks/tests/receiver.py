"""A real HTTP server for webhook tests: records what arrives and verifies its signature
with the `standardwebhooks` package, an implementation independent of Balie's own.

Answers are scripted: each POST takes the next one from `answers` (200 when none is left):
a status code, "timeout" (answers only after `slow_seconds`) or "redirect" (302 to
/elsewhere, which records any request that follows it).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import standardwebhooks


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    verify_error: str


@dataclass
class Receiver:
    secret: str = ""
    answers: deque[int | str] = field(default_factory=deque)
    received: list[Received] = field(default_factory=list)
    slow_seconds: float = 3.0
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def answer(self, *answers: int | str) -> None:
        self.answers.extend(answers)

    def verify(self, body: bytes, headers: dict[str, str]) -> tuple[bool, str]:
        try:
            standardwebhooks.Webhook(self.secret).verify(body, headers, json_parse=False)
        except Exception as error:  # any failure is a bad signature here
            return False, f"{type(error).__name__}: {error}"
        return True, ""


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server's naming
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {key.lower(): value for key, value in self.headers.items()}
            verified, error = receiver.verify(body, headers)
            receiver.received.append(Received("POST", self.path, headers, body, verified, error))
            if self.path != "/hook":
                self._send(200, b"followed")
                return
            answer = receiver.answers.popleft() if receiver.answers else 200
            if answer == "timeout":
                time.sleep(receiver.slow_seconds)
                self._send(200, b"too late")
            elif answer == "redirect":
                self.send_response(302)
                self.send_header("Location", "/elsewhere")
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                status = int(answer)
                self._send(status, b"ok" if status < 300 else f"kapot {status} ".encode() * 500)

        def do_GET(self) -> None:
            receiver.received.append(Received("GET", self.path, {}, b"", False, ""))
            self._send(200, b"followed")

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet test output

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (the timeout test) breaks the pipe; that is expected


def start(receiver: Receiver) -> ThreadingHTTPServer:
    server = _Server(("127.0.0.1", 0), _handler(receiver))
    receiver.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
