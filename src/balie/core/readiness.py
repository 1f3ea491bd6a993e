"""What `/readyz` checks: can this process serve real traffic right now?"""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import BaseChannelLayer, get_channel_layer
from django.conf import settings
from django.db import connection
from django.utils import timezone

from balie.core.models import WorkerHeartbeat

# A channel layer that does not answer within this many seconds counts as down.
CHANNEL_LAYER_TIMEOUT = 2.0


class Check(TypedDict):
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"ok": False, "detail": describe(error)}
    return {"ok": True, "detail": connection.vendor}


def check_channel_layer(*, timeout: float = CHANNEL_LAYER_TIMEOUT) -> Check:
    """Send a message to a fresh channel and read it back, giving up after `timeout` seconds."""
    layer = get_channel_layer()
    if layer is None:
        return {"ok": False, "detail": "no channel layer configured"}
    try:
        answered = async_to_sync(_round_trip)(layer, timeout)
    except TimeoutError:
        return {"ok": False, "detail": f"channel layer did not answer within {timeout:g}s"}
    except Exception as error:
        return {"ok": False, "detail": describe(error)}
    if not answered:
        return {"ok": False, "detail": "channel layer returned another message"}
    return {"ok": True, "detail": type(layer).__name__}


async def _round_trip(layer: BaseChannelLayer, timeout: float) -> bool:
    async def send_and_receive() -> bool:
        channel = await layer.new_channel()
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "readyz.ping", "token": token})
        message = await layer.receive(channel)
        return bool(message.get("token") == token)

    return await asyncio.wait_for(send_and_receive(), timeout)


def check_worker() -> Check:
    timeout = dt.timedelta(seconds=settings.BALIE_WORKER_HEARTBEAT_TIMEOUT)
    try:
        alive = WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - timeout).count()
    except Exception as error:
        return {"ok": False, "detail": describe(error)}
    if not alive:
        return {"ok": False, "detail": f"no task worker heartbeat in the last {timeout.seconds}s"}
    return {"ok": True, "detail": f"{alive} worker(s) alive"}


def run_checks() -> dict[str, Check]:
    return {
        "database": check_database(),
        "channel_layer": check_channel_layer(),
        "worker": check_worker(),
    }


def describe(error: BaseException) -> str:
    """An exception as one line: its class name and the first line of its message."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
