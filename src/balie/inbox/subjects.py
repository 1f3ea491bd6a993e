"""Subjects of a conversation's emails: the "[#REFERENCE]" token and reply prefixes.

Incoming subjects are stripped of both to name a new conversation; outgoing ones are built
as "Re: <subject> [#REFERENCE]", with the token exactly once and never "Re: Re:", so a
customer's reply finds its thread even when their mail program drops the threading headers.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from balie.inbox.models import REFERENCE_ALPHABET, REFERENCE_LENGTH

REFERENCE_TOKEN = re.compile(rf"\[#([{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}})\]", re.I)
# "Re:", "Fwd:", "AW:", "Antw:", "Re[2]:", … in the languages of Dutch webshops' customers.
REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg|antw|tr|sv|vs)\s*(?:\[\d+\])?\s*:\s*)+", re.I)
SUBJECT_MAX_CHARS = 255
_WHITESPACE = re.compile(r"\s+")


def subject_base(subject: str) -> str:
    """The subject without reply prefixes, reference tokens, line breaks or double spaces."""
    subject = REPLY_PREFIX.sub("", REFERENCE_TOKEN.sub("", subject))
    # Also a prefix left behind a token ("[#ABC] Re: …") goes.
    subject = REPLY_PREFIX.sub("", _WHITESPACE.sub(" ", subject).strip())
    return "".join(char for char in subject if char.isprintable()).strip()


def reply_subject(subject: str, *, reference: str) -> str:
    """ "Re: <subject> [#REFERENCE]", at most `SUBJECT_MAX_CHARS` (the token always stays)."""
    token = f" [#{reference}]"
    base = subject_base(subject) or _("Je vraag")
    room = SUBJECT_MAX_CHARS - len("Re: ") - len(token)
    return f"Re: {base[:room].rstrip()}{token}"


def subject_with_reference(subject: str, *, reference: str) -> str:
    """ "<subject> [#REFERENCE]" for a message that answers nothing (a survey)."""
    token = f" [#{reference}]"
    return f"{subject_base(subject)[: SUBJECT_MAX_CHARS - len(token)].rstrip()}{token}".strip()
