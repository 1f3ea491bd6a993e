"""Auto-replies, bounces, mailing lists and no-reply senders: stored, never answered automatically.

Headers are checked first (RFC 3834 Auto-Submitted, Precedence, Microsoft's and others'
X-headers, List-*), then the sender, then well-known subjects, so two auto-responders
cannot keep answering each other.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import gettext as _

_REPORT_TYPES = frozenset(
    {"multipart/report", "message/delivery-status", "message/disposition-notification",
     "message/feedback-report"}
)  # fmt: skip
_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply", "auto-reply"})
_SUPPRESS_TOKENS = frozenset({"all", "oof", "autoreply"})
_AUTOMATED_LOCAL_PART = re.compile(
    r"(mailer-daemon|postmaster|no[-_.]?reply|do[-_.]?not[-_.]?reply)(?:[+\-_.].*)?",
    re.IGNORECASE,
)
_AUTOMATED_SUBJECT = re.compile(
    r"(automatisch antwoord|afwezig(?:heid\w*)?(?=\s*(?:[:\-–]|$))|out of (?:the )?office"
    r"|automatic reply|auto(?:matic)?[- ]?reply:|autoreply|abwesenheitsnotiz"
    r"|automatische antwort|réponse automatique|risposta automatica|respuesta automática"
    r"|undelivered mail returned to sender|delivery status notification"
    r"|undeliverable:|onbestelbaar:|mail delivery failed|returned mail:"
    r"|delivery failure|failure notice)",
    re.IGNORECASE,
)


# The headers `automated_reason` reads (lower case); a caller need pass no others.
HEADER_NAMES = frozenset(
    {
        "auto-submitted", "x-autoreply", "x-autorespond", "x-auto-response-suppress",
        "precedence", "list-id", "list-unsubscribe", "return-path",
    }
)  # fmt: skip


def automated_reason(
    *, headers: Mapping[str, str], sender: str, subject: str, content_type: str
) -> str:
    """Why this mail was sent by a machine, in Dutch for agents; "" when a person sent it.

    `headers` maps lower-cased header names to their first (unfolded) value; `sender` is the
    From address as written (also when it is not a valid address, like "MAILER-DAEMON").
    """
    if content_type in _REPORT_TYPES:
        return _("bounce of afleverbericht (%(type)s)") % {"type": content_type}
    return _header_reason(headers) or _sender_reason(sender) or _subject_reason(subject)


def _header_reason(headers: Mapping[str, str]) -> str:
    auto_submitted = _first_token(headers.get("auto-submitted", ""))
    if auto_submitted and auto_submitted != "no":
        return _("automatisch verzonden (Auto-Submitted: %(value)s)") % {"value": auto_submitted}
    for name in ("X-Autoreply", "X-Autorespond"):
        value = _first_token(headers.get(name.lower(), ""))
        if name.lower() in headers and value not in ("no", "false", "0"):
            return _("automatisch antwoord (%(header)s)") % {"header": name}
    suppress = {
        token.strip().lower() for token in headers.get("x-auto-response-suppress", "").split(",")
    }
    if suppress & _SUPPRESS_TOKENS:
        return _("automatisch verzonden (X-Auto-Response-Suppress)")
    precedence = _first_token(headers.get("precedence", ""))
    if precedence in _PRECEDENCE:
        return _("automatisch verzonden (Precedence: %(value)s)") % {"value": precedence}
    if "list-id" in headers or "list-unsubscribe" in headers:
        return _("mailinglijst")
    if headers.get("return-path", "").replace(" ", "") == "<>":
        # RFC 5321: bounces and other automatic replies are sent with an empty envelope sender.
        return _("automatisch verzonden (lege Return-Path)")
    return ""


def _sender_reason(sender: str) -> str:
    local_part = sender.strip().strip("<>").rsplit("@", 1)[0]
    if _AUTOMATED_LOCAL_PART.fullmatch(local_part):
        return _("automatische afzender (%(sender)s)") % {"sender": local_part.lower()}
    return ""


def _subject_reason(subject: str) -> str:
    match = _AUTOMATED_SUBJECT.match(subject.strip())
    if match:
        return _("automatisch bericht (onderwerp: “%(subject)s”)") % {
            "subject": match.group().rstrip(":")
        }
    return ""


def _first_token(value: str) -> str:
    return value.split(";", 1)[0].strip().lower()[:40]
