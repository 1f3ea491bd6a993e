from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from pytest_django.fixtures import Settings

from balie.assistant import rephrase, services
from balie.assistant.models import Outcome
from balie.tenancy.models import Shop


class _ChatCompletions(BaseHTTPRequestHandler):
    """Speaks the OpenAI chat completions format: POST JSON in, choices[0].message out."""

    answer = ""
    requests: list[dict[str, Any]] = []  # shared by the test and the server

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"body": body, "auth": self.headers.get("Authorization")})
        payload = {
            "choices": [{"index": 0, "message": {"role": "assistant", "content": self.answer}}]
        }
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # the base class's name
        pass


@pytest.fixture
def endpoint(settings: Settings) -> Iterator[type[_ChatCompletions]]:
    _ChatCompletions.requests = []
    server = HTTPServer(("127.0.0.1", 0), _ChatCompletions)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.BALIE_ASSISTANT_LLM_URL = f"http://127.0.0.1:{server.server_port}/v1/chat/completions"
    settings.BALIE_ASSISTANT_LLM_MODEL = "lokaal"
    settings.BALIE_ASSISTANT_LLM_API_KEY = "geheim"
    yield _ChatCompletions
    server.shutdown()
    server.server_close()


def test_unconfigured_it_sends_nothing_anywhere(
    knowledge: Shop, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given
    settings.BALIE_ASSISTANT_LLM_URL = ""
    connections: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        connections.append(address)
        raise AssertionError(f"the assistant connected to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    # when
    answer = services.assistant_answer(shop=knowledge, question="hoe kan ik retourneren")
    # then
    assert answer.reply.outcome == Outcome.ANSWERED
    assert connections == []


def test_configured_it_uses_a_grounded_rephrasing(
    knowledge: Shop, endpoint: type[_ChatCompletions]
) -> None:
    # given
    endpoint.answer = "Je kunt het binnen 30 dagen gratis terugsturen via je account."
    # when
    answer = services.assistant_answer(shop=knowledge, question="hoe kan ik retourneren")
    # then
    assert answer.reply.answer == endpoint.answer
    request = endpoint.requests[0]
    assert request["auth"] == "Bearer geheim"
    assert request["body"]["model"] == "lokaal"
    assert "binnen 30 dagen gratis terug" in request["body"]["messages"][1]["content"]


def test_a_rephrasing_with_a_number_the_articles_lack_is_refused(
    knowledge: Shop, endpoint: type[_ChatCompletions]
) -> None:
    # given
    endpoint.answer = "Je kunt het binnen 60 dagen terugsturen."
    # when
    answer = services.assistant_answer(shop=knowledge, question="hoe kan ik retourneren")
    # then
    assert answer.reply.answer.startswith("Hoe stuur ik iets terug?")


def test_an_unreachable_endpoint_leaves_the_offline_answer(settings: Settings) -> None:
    # given
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.BALIE_ASSISTANT_LLM_URL = f"http://127.0.0.1:{port}/v1/chat/completions"
    # when
    text = rephrase.rephrase(question="vraag", sources=["bron"], fallback="offline")
    # then
    assert text == "offline"


def test_a_non_http_url_is_not_opened(settings: Settings) -> None:
    # given
    settings.BALIE_ASSISTANT_LLM_URL = "file:///etc/passwd"
    # when / then
    assert rephrase.rephrase(question="vraag", sources=["bron"], fallback="offline") == "offline"
