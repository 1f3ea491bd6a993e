"""Websocket routes, one list for the whole project (ASGI `websocket` protocol)."""

from __future__ import annotations

from django.urls import path

from balie.web import consumers

websocket_urlpatterns = [
    path("ws/agent/", consumers.AgentConsumer.as_asgi()),
]
