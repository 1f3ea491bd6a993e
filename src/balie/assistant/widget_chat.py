"""The widget's live chat, after the assistant handed the shopper to a person (`chat.py`).

- `GET gesprek/?conversation_id=…&after=ID`: the chat's messages after the one the widget
  has, its state (waiting, agent, resolved), the agent's name for shoppers and how many
  seconds to wait before asking again. The widget polls while its panel is open.
- `POST bericht/` with `{"conversation_id": …, "text": …, "client_id": …}`: the shopper's
  message; a resend with the same `client_id` is stored once. With `"email"` (text then
  optional): the address that gets the replies the shopper misses after leaving the page.

Both need the widget session (`X-Balie-Widget`) the conversation was started with: another
browser, with a token of its own, gets 404 for it, the same as for a conversation that does
not exist. CORS, throttling and errors as for the other widget endpoints (`widget.py`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Schema
from pydantic import ConfigDict

from balie.api.fields import SingleLineText
from balie.assistant import chat, widget
from balie.assistant.models import Session
from balie.tenancy.models import Shop

READS_PER_MINUTE = 120
MESSAGES_PER_MINUTE = 30
# How long the widget waits before it asks again: soon while a person may write.
POLL_SECONDS = {"waiting": 3, "agent": 3, "resolved": 15}


class ChatMessageIn(Schema):
    model_config = ConfigDict(extra="forbid")

    conversation_id: SingleLineText = Field(max_length=64)
    text: str = Field("", max_length=chat.MESSAGE_MAX_CHARS)
    client_id: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{1,40}$")
    email: SingleLineText | None = Field(None, max_length=254)


@widget.endpoint("GET", "HEAD")
def messages(request: HttpRequest, shop: Shop) -> HttpResponse:
    key = widget.session_counted(request, shop, scope="chat-read", limit=READS_PER_MINUTE)
    if isinstance(key, JsonResponse):
        return key
    after = request.GET.get("after", "0")
    if not after.isascii() or not after.isdigit() or len(after) > 18:
        return widget.error(422, "validation_error", "`after` must be a message id.")
    session = _session(shop, request.GET.get("conversation_id", ""), key)
    if session is None:
        return _no_conversation()
    try:
        state = chat.chat_read(shop=shop, session=session, after=int(after))
    except chat.ChatNotOpen:
        return _no_chat()
    body = {
        "status": state.status,
        "agent_name": state.agent_name,
        "messages": [_message(message) for message in state.messages],
        "poll_seconds": POLL_SECONDS[state.status],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response.headers["Cache-Control"] = "no-store"
    return response


@widget.endpoint("POST")
def send(request: HttpRequest, shop: Shop) -> HttpResponse:
    key = widget.session_counted(request, shop, scope="chat-send", limit=MESSAGES_PER_MINUTE)
    if isinstance(key, JsonResponse):
        return key
    payload = widget.body_as(request, ChatMessageIn)
    if isinstance(payload, JsonResponse):
        return payload
    text = payload.text.replace("\x00", "").strip()
    if not text and not payload.email:
        return widget.error(422, "validation_error", "The message is empty.")
    session = _session(shop, payload.conversation_id, key)
    if session is None:
        return _no_conversation()
    try:
        email = (payload.email or "").strip().lower()
        if email:
            chat.chat_contact_set(shop=shop, session=session, email=email)
        if not text:
            return JsonResponse({"email": email})
        stored = chat.chat_message_receive(
            shop=shop, session=session, text=text, client_id=payload.client_id or ""
        )
    except chat.ChatNotOpen:
        return _no_chat()
    except ValidationError:
        return widget.error(422, "validation_error", "That is not an email address.")
    body = {
        "id": stored.pk,
        "author": "shopper",
        "text": stored.text,
        "at": stored.created_at.isoformat(),
    }
    return JsonResponse(body, status=201, json_dumps_params={"ensure_ascii": False})


def _session(shop: Shop, reference: str, key: str) -> Session | None:
    if not reference or len(reference) > 64:
        return None
    return chat.access_widget_session(shop=shop, reference=reference, client_key=key)


def _message(message: chat.ChatMessage) -> dict[str, Any]:
    return {
        "id": message.id,
        "author": message.author,
        "name": message.name,
        "text": message.text,
        "at": message.at.isoformat(),
    }


def _no_conversation() -> JsonResponse:
    return widget.error(404, "not_found", "No such conversation in this widget session.")


def _no_chat() -> JsonResponse:
    return widget.error(409, "no_chat", "This conversation has no live chat.")
