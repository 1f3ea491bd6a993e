"""Live-chat benchmark: the widget's chat endpoints of one Balie web process.

Starts `balie serve` (uvicorn, one process, no embedded worker) on a fresh database with the
demo shop, puts one agent online and the shop's chat open around the clock, then over HTTP on
loopback, as the widget does:

1. `--chats` shoppers each get a widget session and ask for a person: the hand-off into a
   live chat (`POST /s/pollepel/widget/antwoord/`), timed.
2. Each chat gets `--messages` messages from the shopper (`POST …/widget/bericht/`), timed.
3. `--clients` keep-alive clients poll the chats' `GET …/widget/gesprek/` round-robin for
   `--seconds`: requests/second and latency. A widget polls every 3 s, so one process keeps up
   with about req/s × 3 open chats.

Each shopper sends its own X-Forwarded-For from the benchmark range 198.18.0.0/15 (a header
only; uvicorn trusts it from loopback), so the per-client throttle sees separate shoppers.

    .venv/bin/python bench/chat.py [--chats 50] [--messages 3] [--seconds 5] [--clients 4]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import subprocess
import sys
import time
from typing import Any

from api import BALIE, demo_database, hammer_each, percentile, served

PREPARE = """
import datetime as dt
from django.utils import timezone
from balie.tenancy.models import AgentWorkingHours, ContactOption, Membership, Presence
agent = Membership.objects.filter(shop__slug="pollepel", role="agent").order_by("pk").first()
agent.presence = Presence.ONLINE
agent.presence_seen_at = timezone.now() + dt.timedelta(hours=1)  # seen for the whole run
agent.display_name = "Sanne"
agent.save()
AgentWorkingHours.objects.filter(membership=agent).delete()
AgentWorkingHours.objects.bulk_create(
    AgentWorkingHours(shop=agent.shop, membership=agent, weekday=day, starts_at=dt.time(0),
                      ends_at=dt.time.max)
    for day in range(7)
)
ContactOption.objects.filter(shop=agent.shop, channel="chat").update(
    business_hours_only=False, is_active=True
)
"""


class Shopper:
    def __init__(self, port: int, number: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.address = f"198.18.{number // 250}.{number % 250 + 1}"
        self.token = str(self.call("POST", "sessie/", None)["token"])
        self.conversation_id = ""

    def call(self, method: str, path: str, body: object, expect: int = 0) -> Any:
        headers = {"X-Forwarded-For": self.address, "Content-Type": "application/json"}
        if getattr(self, "token", ""):
            headers["X-Balie-Widget"] = self.token
        data = None if body is None else json.dumps(body)
        try:
            self.connection.request(
                method, f"/s/pollepel/widget/{path}", body=data, headers=headers
            )
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # uvicorn closes a keep-alive connection idle for 5 s: a new one, as a browser would
            self.connection.close()
            self.connection.request(
                method, f"/s/pollepel/widget/{path}", body=data, headers=headers
            )
            response = self.connection.getresponse()
        payload = response.read()
        if expect and response.status != expect:
            raise SystemExit(f"{method} {path}: HTTP {response.status} {payload[:200]!r}")
        return json.loads(payload)


def timed(work: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def poll(shoppers: list[Shopper], port: int, seconds: float, clients: int) -> list[float]:
    """Clients reading the chats round-robin, each with its own connection."""
    turns = itertools.cycle(shoppers)

    def request() -> tuple[str, dict[str, str]]:
        shopper = next(turns)
        path = f"/s/pollepel/widget/gesprek/?conversation_id={shopper.conversation_id}&after=0"
        return path, {"X-Forwarded-For": shopper.address, "X-Balie-Widget": shopper.token}

    return hammer_each(port, request, seconds, clients)


def row(label: str, latencies: list[float], seconds: float | None = None) -> str:
    rate = f"{len(latencies) / seconds:8.0f}" if seconds else f"{'':>8}"
    return (
        f"{label:44} {len(latencies):6} {rate} {percentile(latencies, 0.5) * 1000:8.1f} "
        f"{percentile(latencies, 0.95) * 1000:8.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--messages", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()

    env, database = demo_database("balie-bench-chat-", BALIE_ASSISTANT_LLM_URL="")
    subprocess.run([BALIE, "shell", "-c", PREPARE], check=True, env=env)

    with served(env) as port:
        shoppers = [Shopper(port, number) for number in range(args.chats)]
        handoffs = []
        for shopper in shoppers:
            took, answer = timed(
                lambda s=shopper: s.call(
                    "POST", "antwoord/", {"question": "ik wil een medewerker spreken"}, 200
                )
            )
            if (answer.get("action") or {}).get("channel") != "chat":
                raise SystemExit(f"no live chat: {answer}")
            shopper.conversation_id = answer["conversation_id"]
            handoffs.append(took)
        sends = []
        for number, shopper in itertools.product(range(args.messages), shoppers):
            body = {"conversation_id": shopper.conversation_id, "text": f"Bericht {number}"}
            sends.append(timed(lambda s=shopper, b=body: s.call("POST", "bericht/", b, 201))[0])
        poll(shoppers, port, 0.5, 1)  # warm-up
        reads = poll(shoppers, port, args.seconds, args.clients)
        print(
            f"Balie live chat: uvicorn, 1 process, {args.chats} chats, {args.messages} messages "
            f"each, {args.clients} polling clients for {args.seconds:.0f} s, database "
            f"{database.split('@')[-1]}, {os.cpu_count()} cores"
        )
        print(f"{'step':44} {'count':>6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
        print(row("hand-off into a chat (POST antwoord/)", handoffs))
        print(row("shopper message (POST bericht/)", sends))
        print(row("read the chat (GET gesprek/)", reads, args.seconds))
        print(
            f"open chats one process keeps up with at a 3 s poll: ~{len(reads) / args.seconds * 3:.0f}"
        )


if __name__ == "__main__":
    sys.exit(main())
