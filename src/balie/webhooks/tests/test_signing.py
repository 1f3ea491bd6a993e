"""Signatures by the Standard Webhooks scheme: the published test vector and a round trip
through the reference library."""

from __future__ import annotations

import base64
import time

import standardwebhooks

from balie.webhooks import signing


def test_the_signature_matches_the_standards_test_vector() -> None:
    # when
    signature = signing.signature(
        secret="whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        message_id="msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp=1614265330,
        body=b'{"test": 2432232314}',
    )

    # then
    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_a_new_secret_is_32_random_bytes_behind_the_prefix() -> None:
    # when
    secrets = {signing.secret_new() for _ in range(20)}

    # then
    assert len(secrets) == 20
    for secret in secrets:
        assert secret.startswith("whsec_")
        assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
        assert len(secret) <= 64  # the column


def test_the_headers_verify_with_the_reference_library_also_for_non_ascii_bodies() -> None:
    # given
    secret = signing.secret_new()
    body = '{"subject":"Retour: één pollepel 🥄"}'.encode()

    # when
    headers = signing.headers(
        secret=secret, message_id="evt_1", timestamp=int(time.time()), body=body
    )

    # then
    standardwebhooks.Webhook(secret).verify(body, headers, json_parse=False)
    assert headers["User-Agent"] == "Balie-Webhooks/1"
