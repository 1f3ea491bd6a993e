"""What `/readyz` checks: can this process serve real traffic right now?"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.utils import timezone

from balie.core.models import WorkerHeartbeat


class Check(TypedDict):
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return {"ok": False, "detail": f"{type(error).__name__}: {error}".splitlines()[0]}
    return {"ok": True, "detail": connection.vendor}


def check_channel_layer() -> Check:
    layer = get_channel_layer()
    if layer is None:
        return {"ok": False, "detail": "no channel layer configured"}
    try:
        channel = async_to_sync(layer.new_channel)()
        token = uuid.uuid4().hex
        async_to_sync(layer.send)(channel, {"type": "readyz.ping", "token": token})
        message = async_to_sync(layer.receive)(channel)
    except Exception as error:
        return {"ok": False, "detail": f"{type(error).__name__}: {error}".splitlines()[0]}
    if message.get("token") != token:
        return {"ok": False, "detail": "channel layer returned another message"}
    return {"ok": True, "detail": type(layer).__name__}


def check_worker() -> Check:
    timeout = dt.timedelta(seconds=settings.BALIE_WORKER_HEARTBEAT_TIMEOUT)
    try:
        alive = WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - timeout).count()
    except Exception as error:
        return {"ok": False, "detail": f"{type(error).__name__}: {error}".splitlines()[0]}
    if not alive:
        return {"ok": False, "detail": f"no task worker heartbeat in the last {timeout.seconds}s"}
    return {"ok": True, "detail": f"{alive} worker(s) alive"}


def run_checks() -> dict[str, Check]:
    return {
        "database": check_database(),
        "channel_layer": check_channel_layer(),
        "worker": check_worker(),
    }
