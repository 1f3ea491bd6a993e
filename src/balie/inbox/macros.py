"""Placeholders in macros: `{{ customer.first_name }}`, with `|default:"…"` for empty values.

A deliberately small renderer of our own instead of a template engine: it only ever replaces
a placeholder by one of the string values it is handed (`values_for` builds them from a
fixed list of fields), so a macro can never walk from a model object to anything else
(`{{ customer.shop.owner.password }}`) and never run code. What it does not understand stays
in the text as written, so the agent sees it before sending; saving a macro with an unknown
placeholder is refused (`problems`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from balie.customers.models import Customer
from balie.inbox.models import Conversation
from balie.tenancy.models import Membership, Shop

PLACEHOLDERS = (
    "customer.first_name",
    "customer.last_name",
    "customer.name",
    "customer.email",
    "agent.first_name",
    "agent.name",
    "shop.name",
    "conversation.reference",
    "conversation.subject",
)
# What each placeholder holds, for the lists beside the text boxes in the settings.
PLACEHOLDER_LABELS: dict[str, Promise] = {
    "customer.first_name": _lazy("voornaam van de klant"),
    "customer.last_name": _lazy("achternaam van de klant"),
    "customer.name": _lazy("volledige naam van de klant"),
    "customer.email": _lazy("e-mailadres van de klant"),
    "agent.first_name": _lazy("jouw voornaam"),
    "agent.name": _lazy("jouw naam"),
    "shop.name": _lazy("naam van de winkel"),
    "conversation.reference": _lazy("nummer van het gesprek"),
    "conversation.subject": _lazy("onderwerp van het gesprek"),
    "response_time": _lazy("wanneer de klant antwoord krijgt, als zin"),
}
# Up to the first "}}": "{{ a }} }}" is one placeholder and a stray "}}".
_TAG = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_EXPRESSION = re.compile(
    r"""\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*
    (?:\|\s*(?P<filter>[A-Za-z_]+)\s*(?::\s*(?:"(?P<double>[^"]*)"|'(?P<single>[^']*)'))?\s*)?""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Placeholder:
    text: str  # as written, braces included
    name: str  # "" when the text inside the braces is no placeholder at all
    default: str
    filter: str  # "" or "default"; anything else is an error


def placeholders(template: str) -> list[Placeholder]:
    """Every `{{ … }}` in the template, understood or not, in order."""
    found = []
    for match in _TAG.finditer(template):
        expression = _EXPRESSION.fullmatch(match.group(1))
        if expression is None:
            found.append(Placeholder(text=match.group(), name="", default="", filter=""))
            continue
        default = expression.group("double")
        if default is None:
            default = expression.group("single") or ""
        found.append(
            Placeholder(
                text=match.group(),
                name=expression.group("name"),
                default=default,
                filter=expression.group("filter") or "",
            )
        )
    return found


def problems(template: str, *, names: Collection[str] = PLACEHOLDERS) -> list[str]:
    """What is wrong with the placeholders, one line per placeholder (empty: all fine).

    The lines quote the placeholder as written, so the agent finds it in the text. `names`
    are the placeholders the text may use (another text, such as the acknowledgement, has
    other values at hand than a macro).
    """
    lines = []
    for placeholder in placeholders(template):
        if not placeholder.name:
            lines.append(_("%(text)s is geen geldige variabele.") % {"text": placeholder.text})
        elif placeholder.name not in names:
            lines.append(
                _("%(text)s: de variabele %(name)s bestaat niet.")
                % {"text": placeholder.text, "name": placeholder.name}
            )
        elif placeholder.filter not in ("", "default"):
            lines.append(
                _("%(text)s: het filter %(filter)s bestaat niet; alleen default kan.")
                % {"text": placeholder.text, "filter": placeholder.filter}
            )
    if "{{" in _TAG.sub("", template):
        lines.append(_("Er staat een {{ zonder }} in de tekst."))
    return lines


def render(
    template: str, values: Mapping[str, str], *, names: Collection[str] = PLACEHOLDERS
) -> str:
    """The template with each known placeholder replaced by its value (or its default when
    the value is empty); anything else is left exactly as written. Never raises.

    Only `names` (PLACEHOLDERS unless told) are looked up, and only in `values`; a value is
    inserted as it is and never read as a template itself.
    """

    def replace(match: re.Match[str]) -> str:
        expression = _EXPRESSION.fullmatch(match.group(1))
        if expression is None:
            return match.group()
        name, filter_name = expression.group("name"), expression.group("filter") or ""
        if name not in names or filter_name not in ("", "default"):
            return match.group()
        value = values.get(name, "")
        if value.strip():
            return value
        default = expression.group("double")
        return default if default is not None else expression.group("single") or ""

    return _TAG.sub(replace, template)


def values_for(
    *, shop: Shop, conversation: Conversation | None, agent: Membership | None
) -> dict[str, str]:
    """The string value of every placeholder for this conversation and agent; missing ones
    are empty (so `|default` applies)."""
    customer: Customer | None = conversation.customer if conversation is not None else None
    agent_name = ""
    agent_first_name = ""
    if agent is not None:
        agent_name = agent.display_name or agent.user.full_name
        agent_first_name = agent_name.split()[0] if agent_name.split() else agent.user.first_name
    return {
        "customer.first_name": customer.first_name if customer else "",
        "customer.last_name": customer.last_name if customer else "",
        "customer.name": customer.full_name if customer else "",
        "customer.email": customer.email if customer else "",
        "agent.first_name": agent_first_name,
        "agent.name": agent_name or agent_first_name,
        "shop.name": shop.name,
        "conversation.reference": conversation.reference if conversation else "",
        "conversation.subject": conversation.subject if conversation else "",
    }
