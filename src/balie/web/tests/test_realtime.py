"""The agent websocket and publishing after commit, on the in-memory and the Redis layer.

The sockets are driven by asgiref's ApplicationCommunicator through the real ASGI
application (origin check, session, auth). Channels' AgentSocket would do, but
`channels.testing` cannot be imported without daphne (django/channels#1942), which Balie
does not otherwise need.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from asgiref.testing import ApplicationCommunicator
from channels.layers import get_channel_layer
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from pytest_django.fixtures import Settings

from balie.asgi import application
from balie.inbox.tests.factories import ConversationFactory
from balie.tenancy.models import Membership, Role, Shop, User
from balie.tenancy.tests.factories import MembershipFactory, ShopFactory, UserFactory
from balie.web import realtime

pytestmark = pytest.mark.django_db(transaction=True)


# Seconds to wait for one websocket message; generous for a busy CI machine.
TIMEOUT = 10


class Rollback(Exception):
    pass


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def channel_layer(request: pytest.FixtureRequest, settings: Settings) -> Iterator[str]:
    """Each test runs on the in-memory layer and on Redis (own prefix, flushed afterwards)."""
    if request.param == "memory":
        settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
        yield request.param
        return
    redis_url = request.getfixturevalue("redis_url")
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": f"balie-test-{uuid.uuid4().hex}"},
        }
    }
    yield request.param
    async_to_sync(get_channel_layer().flush)()


def session_cookie(user: User) -> bytes:
    client = Client()
    client.force_login(user)
    session_id = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return f"{django_settings.SESSION_COOKIE_NAME}={session_id}".encode()


@pytest.fixture
def agent_cookie(agent: Membership) -> bytes:
    return session_cookie(agent.user)


@pytest.fixture
def other_agent_cookie(other_shop: Shop) -> bytes:
    other_agent = MembershipFactory(
        shop=other_shop, role=Role.AGENT, user__email="joris@trapper.nl"
    )
    return session_cookie(other_agent.user)


@pytest.fixture
def shopless_cookie(db: None) -> bytes:
    return session_cookie(UserFactory(email="zonder-winkel@example.nl"))


class AgentSocket(ApplicationCommunicator):  # type: ignore[misc]
    """A browser tab's websocket to /ws/agent/, as the ASGI server would present it."""

    def __init__(self, cookie: bytes | None = None) -> None:
        headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
        if cookie is not None:
            headers.append((b"cookie", cookie))
        scope = {
            "type": "websocket",
            "path": "/ws/agent/",
            "raw_path": b"/ws/agent/",
            "query_string": b"",
            "headers": headers,
            "subprotocols": [],
            "client": ("127.0.0.1", 50123),
            "server": ("testserver", 80),
        }
        super().__init__(application, scope)

    async def connect(self) -> tuple[bool, int | None]:
        """(True, None) when accepted, else (False, close code)."""
        await self.send_input({"type": "websocket.connect"})
        answer = await self.receive_output(TIMEOUT)
        if answer["type"] == "websocket.close":
            return False, answer.get("code", 1000)
        assert answer["type"] == "websocket.accept", answer
        return True, None

    async def receive_json(self) -> Any:
        message = await self.receive_output(TIMEOUT)
        assert message["type"] == "websocket.send", message
        return json.loads(message["text"])

    async def send_json_to(self, content: Any) -> None:
        await self.send_input({"type": "websocket.receive", "text": json.dumps(content)})

    async def disconnect(self) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(TIMEOUT)


def agent_socket(cookie: bytes | None = None) -> AgentSocket:
    return AgentSocket(cookie)


async def connected(cookie: bytes) -> AgentSocket:
    socket = agent_socket(cookie)
    accepted, _code = await socket.connect()
    assert accepted
    assert (await socket.receive_json())["type"] == "hello"
    return socket


@sync_to_async
def publish(*, shop: Shop, payload: dict[str, Any], commit: bool = True) -> None:
    try:
        with transaction.atomic():
            realtime.publish_on_commit(shop_id=shop.pk, payload=payload)
            if not commit:
                raise Rollback
    except Rollback:
        pass


async def test_an_agent_is_greeted_with_their_shop(
    channel_layer: str, shop: Shop, agent_cookie: bytes
) -> None:
    # given
    socket = agent_socket(agent_cookie)

    # when
    accepted, _code = await socket.connect()

    # then
    assert accepted
    assert await socket.receive_json() == {"type": "hello", "shop_id": shop.pk}
    await socket.disconnect()


async def test_an_anonymous_socket_is_closed_with_4401(channel_layer: str) -> None:
    # when
    accepted, code = await agent_socket().connect()

    # then
    assert (accepted, code) == (False, 4401)


async def test_a_signed_in_user_without_a_shop_is_closed_with_4403(
    channel_layer: str, shopless_cookie: bytes
) -> None:
    # when
    accepted, code = await agent_socket(shopless_cookie).connect()

    # then
    assert (accepted, code) == (False, 4403)


async def test_an_event_reaches_its_own_shops_agents_only(
    channel_layer: str,
    shop: Shop,
    other_shop: Shop,
    agent_cookie: bytes,
    other_agent_cookie: bytes,
) -> None:
    # given
    ours, theirs = await connected(agent_cookie), await connected(other_agent_cookie)

    # when
    await publish(shop=shop, payload={"type": "conversation.new", "id": 7})
    await publish(shop=other_shop, payload={"type": "marker"})

    # then: our agent gets the event; theirs gets only the marker sent after it
    assert await ours.receive_json() == {"type": "conversation.new", "id": 7}
    assert await theirs.receive_json() == {"type": "marker"}
    await ours.disconnect()
    await theirs.disconnect()


async def test_nothing_is_sent_when_the_transaction_rolls_back(
    channel_layer: str, shop: Shop, agent_cookie: bytes
) -> None:
    # given
    socket = await connected(agent_cookie)

    # when
    await publish(shop=shop, payload={"type": "conversation.new", "id": 7}, commit=False)
    await publish(shop=shop, payload={"type": "marker"})

    # then: the first message after the rolled-back one is the marker
    assert await socket.receive_json() == {"type": "marker"}
    await socket.disconnect()


def test_an_unreachable_channel_layer_does_not_undo_or_break_the_transaction(
    settings: Settings,
) -> None:
    # given
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }

    # when
    with transaction.atomic():
        shop = ShopFactory(slug="na-de-storing")
        realtime.publish_on_commit(shop_id=shop.pk, payload={"type": "shop.created"})

    # then
    assert Shop.objects.filter(slug="na-de-storing").exists()


@sync_to_async
def a_conversation(shop: Shop) -> int:
    return int(ConversationFactory(shop=shop).pk)


@sync_to_async
def colleague_cookie(shop: Shop) -> tuple[bytes, int]:
    colleague = MembershipFactory(
        shop=shop, role=Role.AGENT, user__email="bram@pollepel.nl", user__full_name="Bram Smit"
    )
    return session_cookie(colleague.user), colleague.pk


async def test_agents_on_the_same_conversation_see_each_other_view_type_and_leave(
    channel_layer: str, shop: Shop, agent: Membership, agent_cookie: bytes
) -> None:
    # given: two agents of the shop, each with the conversation open
    conversation_id = await a_conversation(shop)
    cookie, bram_id = await colleague_cookie(shop)
    sanne, bram = await connected(agent_cookie), await connected(cookie)
    await sanne.send_json_to({"type": "viewing", "conversation_id": conversation_id})
    assert (await sanne.receive_json())["agent_id"] == agent.pk  # her own announcement

    # when
    await bram.send_json_to({"type": "viewing", "conversation_id": conversation_id})
    await bram.send_json_to({"type": "typing", "conversation_id": conversation_id})
    await bram.disconnect()

    # then
    seen = [await sanne.receive_json() for _ in range(3)]
    assert [(e["state"], e["agent_id"], e["name"]) for e in seen] == [
        ("viewing", bram_id, "Bram Smit"),
        ("typing", bram_id, "Bram Smit"),
        ("left", bram_id, "Bram Smit"),
    ]
    await sanne.disconnect()


async def test_a_collision_notice_stays_within_the_conversation(
    channel_layer: str, shop: Shop, agent_cookie: bytes
) -> None:
    # given: sanne views one conversation, bram another
    one, two = await a_conversation(shop), await a_conversation(shop)
    cookie, _bram = await colleague_cookie(shop)
    sanne, bram = await connected(agent_cookie), await connected(cookie)
    await sanne.send_json_to({"type": "viewing", "conversation_id": one})
    await sanne.receive_json()

    # when
    await bram.send_json_to({"type": "typing", "conversation_id": two})
    await bram.receive_json()
    await publish(shop=shop, payload={"type": "marker"})

    # then: sanne hears nothing of conversation two, only the marker after it
    assert await sanne.receive_json() == {"type": "marker"}
    await sanne.disconnect()
    await bram.disconnect()


async def test_another_shops_conversation_cannot_be_announced(
    channel_layer: str, shop: Shop, other_shop: Shop, agent_cookie: bytes, other_agent_cookie: bytes
) -> None:
    # given: sanne views her conversation; an agent of another shop names its id
    conversation_id = await a_conversation(shop)
    sanne, stranger = await connected(agent_cookie), await connected(other_agent_cookie)
    await sanne.send_json_to({"type": "viewing", "conversation_id": conversation_id})
    await sanne.receive_json()

    # when
    await stranger.send_json_to({"type": "typing", "conversation_id": conversation_id})
    await stranger.send_json_to({"type": "viewing", "conversation_id": "1; DROP"})
    await stranger.send_json_to({"type": "ping"})

    # then: the stranger's announcements were dropped (their ping is still answered)
    assert await stranger.receive_json() == {"type": "pong"}
    await publish(shop=shop, payload={"type": "marker"})
    assert await sanne.receive_json() == {"type": "marker"}
    await sanne.disconnect()
    await stranger.disconnect()


async def test_a_connected_tab_keeps_its_agent_seen(
    channel_layer: str, agent: Membership, agent_cookie: bytes
) -> None:
    # given: the agent was last seen long ago
    await sync_to_async(Membership.objects.filter(pk=agent.pk).update)(presence_seen_at=None)

    # when
    socket = await connected(agent_cookie)

    # then
    refreshed = await sync_to_async(Membership.objects.get)(pk=agent.pk)
    assert refreshed.presence_seen_at is not None
    await socket.disconnect()
