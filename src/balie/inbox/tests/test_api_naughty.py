"""Outside text through the inbox API: every naughty string and XSS payload as a note, a tag
and a macro is stored as sent or refused with 422, never a 500, and reads back as JSON."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from balie.core.tests import corpora
from balie.inbox.tests.factories import ConversationFactory
from balie.tenancy.models import Membership, Shop

pytestmark = pytest.mark.django_db


def _strings(name: str) -> list[str]:
    path = corpora.require(corpora.CORPORA / name)
    if path.suffix == ".json":
        loaded: list[str] = json.loads(path.read_text(encoding="utf-8"))
        return loaded
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


@pytest.mark.parametrize("name", ["naughty-strings/blns.json", "xss/XSS_Polyglots.txt"])
def test_naughty_text_in_notes_tags_and_macros_never_breaks_the_api(
    agent_client: Client, admin_agent: Membership, shop: Shop, name: str
) -> None:
    # given
    # every third string: all kinds of the corpus, in a third of the time
    strings = [value for value in _strings(name) if value.strip()][::3]
    conversation = ConversationFactory(shop=shop)
    admin = Client()
    admin.force_login(admin_agent.user)
    failures = []

    # when
    for index, value in enumerate(strings):
        note = agent_client.post(
            f"/api/v1/conversations/{conversation.pk}/notes",
            json.dumps({"text": value}),
            content_type="application/json",
        )
        tag = agent_client.post(
            "/api/v1/tags", json.dumps({"name": value[:50]}), content_type="application/json"
        )
        macro = admin.post(
            "/api/v1/macros",
            json.dumps({"name": f"Macro {index}", "body": value}),
            content_type="application/json",
        )
        for kind, response in (("note", note), ("tag", tag), ("macro", macro)):
            if response.status_code not in (201, 409, 422):
                failures.append(f"{kind} {value!r}: {response.status_code}")
        if note.status_code == 201 and note.json()["text"] != value.strip():
            failures.append(f"note {value!r} came back as {note.json()['text']!r}")
        if macro.status_code == 201 and macro.json()["body"] != value:
            failures.append(f"macro {value!r} came back as {macro.json()['body']!r}")
    listed = agent_client.get(f"/api/v1/conversations/{conversation.pk}/messages?limit=200")

    # then
    assert not failures, "\n".join(failures)
    assert listed.status_code == 200
    assert listed["Content-Type"].startswith("application/json")
