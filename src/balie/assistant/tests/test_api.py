from __future__ import annotations

import json

from django.test import Client

from balie.tenancy import services as tenancy_services
from balie.tenancy.models import Shop

URL = "/api/v1/assistant/answer"


def _post(client: Client, body: object) -> tuple[int, dict[str, object]]:
    response = client.post(URL, data=json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_it_answers_with_the_documented_shape(knowledge: Shop, api_client: Client) -> None:
    # when
    status, body = _post(api_client, {"question": "hoe kan ik retourneren", "locale": "nl"})
    # then
    assert status == 200
    assert set(body) == {"conversation_id", "answer", "article_ids", "articles", "confidence",
                         "handoff", "reason", "outcome", "language", "action"}  # fmt: skip
    assert body["outcome"] == "answered"
    assert body["handoff"] is False
    assert isinstance(body["article_ids"], list)
    assert len(body["article_ids"]) == 1


def test_a_follow_up_continues_the_conversation(knowledge: Shop, api_client: Client) -> None:
    # given
    _status, first = _post(api_client, {"question": "waar is mijn bestelling"})
    # when
    _status, second = _post(
        api_client, {"question": "NL1 1234 AB", "conversation_id": first["conversation_id"]}
    )
    # then
    assert second["conversation_id"] == first["conversation_id"]
    assert second["outcome"] == "verify"


def test_without_a_key_it_is_refused(knowledge: Shop) -> None:
    # when
    status, body = _post(Client(), {"question": "retour"})
    # then
    assert status == 401
    assert body["status"] == 401


def test_invalid_bodies_are_problem_json_not_errors(knowledge: Shop, api_client: Client) -> None:
    for body in (
        {"question": "x" * 20_001},
        {"question": "retour", "onbekend": 1},
        {"question": 42},
        {"question": "retour", "locale": "Nederlands"},
        {},
        [],
    ):
        status, problem = _post(api_client, body)
        assert status == 422, body
        assert problem["status"] == 422


def test_a_malformed_json_body_is_a_clear_error(knowledge: Shop, api_client: Client) -> None:
    # when
    response = api_client.post(URL, data=b"{nee", content_type="application/json")
    # then
    assert response.status_code in (400, 422)
    assert response.json()["status"] == response.status_code


def test_each_shops_key_reads_its_own_knowledge_base(knowledge: Shop, other_shop: Shop) -> None:
    # given
    _key, raw = tenancy_services.api_key_create(shop=other_shop, name="Ander")
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    # when
    _status, body = _post(client, {"question": "hoe kan ik retourneren"})
    # then
    assert body["outcome"] == "clarify"
    assert body["article_ids"] == []
