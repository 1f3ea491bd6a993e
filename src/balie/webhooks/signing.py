"""Signing deliveries by the Standard Webhooks scheme (https://www.standardwebhooks.com).

Every request carries `webhook-id` (the delivery's event id, the same on every retry so a
receiver can drop repeats), `webhook-timestamp` (Unix seconds of this attempt; receivers
refuse old ones, which stops replays) and `webhook-signature`: `v1,` and the base64 of the
HMAC-SHA256 over "{id}.{timestamp}.{body}" keyed with the base64-decoded secret (after its
`whsec_` prefix). Any Standard Webhooks library verifies it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105  # the scheme's marker, not a secret
SECRET_BYTES = 32
USER_AGENT = "Balie-Webhooks/1"


def secret_new() -> str:
    """A fresh signing secret: "whsec_" and 32 random bytes in base64 (50 characters)."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def signature(*, secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """`v1,<base64 HMAC-SHA256>` of "{message_id}.{timestamp}.{body}"."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(*, secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """Every header of a delivery request."""
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=secret, message_id=message_id, timestamp=timestamp, body=body
        ),
    }
