"""Who an internal note names with "@": the agents it notifies.

A handle is what follows "@" up to a space or punctuation: an agent's email name
("@sanne" for sanne@pollepel.nl), their first name ("@Sanne"), or their display name
without spaces ("@SanneDeVries"), in any case. The workspace's autocomplete inserts the
email name, which is unique per shop. A first name shared by two agents names both: better
one notification too many than a colleague who never hears of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from balie.tenancy.models import Membership

# "@" not preceded by a word character, so email addresses in the text are not mentions.
_HANDLE = re.compile(r"(?<![\w@.])@([\w][\w.-]{0,62})", re.UNICODE)


def handle(agent: Membership) -> str:
    """The handle the autocomplete inserts for `agent`."""
    return agent.user.email.split("@", 1)[0]


def _names(agent: Membership) -> set[str]:
    names = {handle(agent).casefold(), agent.user.first_name.casefold()}
    if agent.display_name:
        names.add("".join(agent.display_name.split()).casefold())
    if agent.user.full_name:
        names.add("".join(agent.user.full_name.split()).casefold())
    return {name for name in names if name}


def mentioned(text: str, agents: Iterable[Membership]) -> list[Membership]:
    """The agents named in `text`, each once, in the order of the candidates given."""
    handles = {match.rstrip(".-").casefold() for match in _HANDLE.findall(text)}
    if not handles:
        return []
    return [agent for agent in agents if _names(agent) & handles]
