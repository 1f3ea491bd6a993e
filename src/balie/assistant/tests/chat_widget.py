"""A shopper's browser in the live-chat tests: its widget session and conversation."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from balie.assistant.models import Session
from balie.inbox.models import Conversation

SESSION = "/s/pollepel/widget/sessie/"
ANSWER = "/s/pollepel/widget/antwoord/"
MESSAGES = "/s/pollepel/widget/gesprek/"
SEND = "/s/pollepel/widget/bericht/"
FOR_A_PERSON = "ik wil een medewerker spreken"


class Widget:
    """One shopper's browser: its widget session, and the conversation it started."""

    def __init__(self) -> None:
        self.client = Client()
        response = self.client.post(SESSION)
        assert response.status_code == 200
        self.token = str(response.json()["token"])
        self.conversation_id = ""

    def ask(self, question: str, **extra: str) -> Any:
        body = {"question": question, **extra}
        if self.conversation_id:
            body["conversation_id"] = self.conversation_id
        response = self.post(ANSWER, body)
        assert response.status_code == 200, response.content
        answer = response.json()
        self.conversation_id = answer["conversation_id"]
        return answer

    def post(self, path: str, body: object) -> Any:
        return self.client.post(
            path,
            data=json.dumps(body),
            content_type="application/json",
            headers={"X-Balie-Widget": self.token},
        )

    def send(self, text: str, **extra: str) -> Any:
        return self.post(SEND, {"conversation_id": self.conversation_id, "text": text, **extra})

    def read(self, after: int = 0, conversation_id: str | None = None) -> Any:
        return self.client.get(
            MESSAGES,
            {"conversation_id": conversation_id or self.conversation_id, "after": after},
            headers={"X-Balie-Widget": self.token},
        )


def chatting(widget: Widget) -> Conversation:
    answer = widget.ask(FOR_A_PERSON)
    assert answer["outcome"] == "handoff"
    assert answer["action"]["channel"] == "chat"
    session = Session.objects.get(reference=widget.conversation_id)
    assert session.conversation is not None
    return session.conversation
