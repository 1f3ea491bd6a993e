"""Outside text through the API: every naughty string and XSS payload as a customer's name is
stored as sent (trimmed) or refused with 422, never a 500, and reads back unchanged as JSON.

The corpora are the shared bad-input collections (`../shared/corpora` next to the repository,
or BALIE_CORPORA); without them those tests are skipped (failed under BALIE_REQUIRE_CORPORA=1,
as in CI) and the inline cases still run.
"""

from __future__ import annotations

import json
import unicodedata

import pytest
from django.test import Client

from balie.core.tests import corpora

CORPORA = corpora.CORPORA
FIRST_NAME_MAX = 80

INLINE = [
    "<script>alert('xss')</script>",
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE customers_customer;--",
    "Zoë Ĳsselmeer-Çelik",
    "‮gnp.exe",
    "👩‍👩‍👧‍👦",
    "{{ request.user }} {% debug %}",
    "%s %n %x",
    "ﷺ" * 20,
    "  spaties rondom  ",
    "",
]


def _corpus(name: str) -> list[str]:
    path = corpora.require(CORPORA / name)
    if path.suffix == ".json":
        strings: list[str] = json.loads(path.read_text(encoding="utf-8"))
        return strings
    return path.read_text(encoding="utf-8", errors="replace").splitlines()


def _acceptable(value: str) -> bool:
    too_long = len(value) > FIRST_NAME_MAX
    control = any(unicodedata.category(char) in {"Cc", "Cs"} for char in value)
    return not too_long and not control


def _round_trip(client: Client, strings: list[str]) -> list[str]:
    """Each string as a first name: 201 and read back, or 422 for the right reason."""
    failures = []
    for index, value in enumerate(strings):
        created = client.post(
            "/api/v1/customers",
            json.dumps({"email": f"klant{index}@example.nl", "first_name": value}),
            content_type="application/json",
        )
        expected = 201 if _acceptable(value) else 422
        if created.status_code != expected:
            failures.append(f"{value!r}: {created.status_code}, expected {expected}")
            continue
        if expected == 422:
            assert created["Content-Type"] == "application/problem+json"
            continue
        read = client.get(f"/api/v1/customers/{created.json()['id']}")
        assert read["Content-Type"].startswith("application/json")
        assert read["X-Content-Type-Options"] == "nosniff"
        if read.json()["first_name"] != value.strip():
            failures.append(f"{value!r} came back as {read.json()['first_name']!r}")
        found = client.get("/api/v1/customers", {"q": value[:200]})
        if found.status_code not in (200, 422):
            failures.append(f"searching {value!r}: {found.status_code}")
    return failures


def test_inline_naughty_names_round_trip(api_client: Client) -> None:
    # when
    failures = _round_trip(api_client, INLINE)

    # then
    assert not failures, "\n".join(failures)


def test_the_big_list_of_naughty_strings_round_trips(api_client: Client) -> None:
    # given
    strings = _corpus("naughty-strings/blns.json")

    # when
    failures = _round_trip(api_client, strings)

    # then
    assert len(strings) > 500
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", ["xss/IntrudersXSS.txt", "xss/XSS_Polyglots.txt"])
def test_xss_payloads_are_stored_as_text(api_client: Client, name: str) -> None:
    # given
    strings = _corpus(name)

    # when
    failures = _round_trip(api_client, strings)

    # then
    assert not failures, "\n".join(failures)
