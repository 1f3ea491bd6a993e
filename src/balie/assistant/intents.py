"""Self-service requests as typed intents: what the shopper wants done, not asked.

An intent is recognised by phrases in nl/en/de/fr over the folded question ("waar is mijn
bestelling", "where is my order"), names the facts it needs before anything is shown or done
(`slots`: an order number plus the order's email address or postcode, so nobody reads another
person's order by guessing numbers). Order status is answered by Balie itself; cancelling,
changing the address, resending the invoice and starting a return are verified and then handed
to a person with the order confirmed (`handoff`), until the orders issue gives Balie the data
and connectors to do them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from balie.knowledge.analysis import folding


class IntentName(StrEnum):
    SMALL_TALK = "small_talk"
    HUMAN = "human"
    ORDER_STATUS = "order_status"
    RETURN_START = "return_start"
    ADDRESS_CHANGE = "address_change"
    INVOICE_RESEND = "invoice_resend"
    ORDER_CANCEL = "order_cancel"


class Slot(StrEnum):
    ORDER_NUMBER = "order_number"
    EMAIL_OR_POSTCODE = "email_or_postcode"


VERIFIED_ORDER = (Slot.ORDER_NUMBER, Slot.EMAIL_OR_POSTCODE)


@dataclass(frozen=True)
class Intent:
    name: IntentName
    phrases: tuple[re.Pattern[str], ...]
    slots: tuple[Slot, ...] = ()
    # Whether the assistant takes it (see the module docstring).
    available: bool = False
    # Verified, then handed to a person: Balie cannot carry it out by itself yet.
    handoff: bool = False
    extra: dict[str, str] = field(default_factory=dict)


def _phrases(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?:^|\b){pattern}(?:\b|$)") for pattern in patterns)


_MY_ORDER_NL = r"(?:mijn|m'n|onze) (?:bestelling|order|pakket(?:je)?|zending|levering)"
# A whole message that is only a greeting, thanks, a goodbye or a question about the
# assistant itself, by kind (the reply differs).
_SMALL_TALK = {
    "greeting": (
        r"^(?:(?:hoi|hallo|hey|hee|hai|hi|hello|hiya|goedemorgen|goedemiddag|goedenavond|"
        r"good (?:morning|afternoon|evening)|bonjour|guten (?:morgen|tag)|moi|yo)"
        r"(?: daar| allemaal| there)?[ ,.!?]*)+(?:hoe gaat (?:het|t)(?: met je| met jou)?|"
        r"how are you|alles goed)?[ ,.!?]*$",
        r"^(?:hoe gaat (?:het|t)(?: met (?:je|jou))?|how are you(?: doing)?|alles goed)[ ?!.]*$",
        r"^(?:ben (?:je|jij) een (?:robot|bot|mens|computer)|are you (?:a )?(?:robot|bot|human)|"
        r"wie ben (?:je|jij)|who are you)[ ?!.]*$",
    ),
    "thanks": (
        r"^(?:(?:dank(?:je| je)?(?: ?wel)?|bedankt|thanks|thank you|merci|danke)(?: hoor| voor "
        r"je hulp| so much| a lot)?|top|super|ok(?:e|ay)?|prima|fijn)[ ,.!?]*$",
    ),
    "goodbye": (r"^(?:doei|dag|tot ziens|bye|goodbye|fijne dag)[ ,.!?]*$",),
}
_SMALL_TALK_PATTERNS = {
    kind: tuple(re.compile(pattern) for pattern in patterns)
    for kind, patterns in _SMALL_TALK.items()
}


def small_talk_kind(question: str) -> str:
    """ "greeting", "thanks" or "goodbye" for a message that is only that, else ""."""
    text = _folded(question)
    for kind, patterns in _SMALL_TALK_PATTERNS.items():
        if any(pattern.search(text) for pattern in patterns):
            return kind
    return ""


INTENTS: tuple[Intent, ...] = (
    Intent(
        IntentName.SMALL_TALK,
        tuple(pattern for patterns in _SMALL_TALK_PATTERNS.values() for pattern in patterns),
        available=True,
    ),
    Intent(
        IntentName.HUMAN,
        _phrases(
            r"(?:ik wil|kan ik|mag ik|graag|liever) (?:met |even )?(?:een |iemand |de )?"
            r"(?:echte |echt )?(?:medewerker|mens|persoon|iemand)(?: spreken| praten| chatten)?",
            r"(?:medewerker|mens|persoon) (?:spreken|aan de lijn)",
            # The word alone, as the assistant's own tip asks ("typ 'medewerker'").
            r"^(?:een |a |an )?(?:medewerker|mens|persoon|human|person|agent|mitarbeiter|"
            r"conseiller)[ .!?]*$",
            r"(?:talk|speak|chat) (?:to|with) (?:a |an |someone|somebody)?"
            r"(?:real |actual )?(?:human|person|agent|someone|somebody|representative)?",
            r"(?:a |real )?human please",
            r"(?:mit )?(?:einem |einer )?(?:mitarbeiter|menschen)(?:in)? sprechen",
            r"parler a (?:un |une )?(?:conseiller|conseillere|humain|personne)",
        ),
        available=True,
    ),
    Intent(
        IntentName.ORDER_STATUS,
        _phrases(
            rf"waar (?:is|blijft) {_MY_ORDER_NL}",
            rf"(?:status|stand) van {_MY_ORDER_NL}",
            rf"wanneer (?:komt|krijg ik|wordt) {_MY_ORDER_NL}",
            rf"is {_MY_ORDER_NL} (?:al )?(?:verzonden|verstuurd|onderweg)",
            r"(?:where is|status of|track) my (?:order|parcel|package|delivery)",
            r"order status",
            r"wo (?:ist|bleibt) (?:meine|mein) (?:bestellung|paket|sendung|lieferung)",
            r"ou (?:est|en est) (?:ma|mon) (?:commande|colis|livraison)",
            r"suivi de (?:ma )?commande",
        ),
        slots=VERIFIED_ORDER,
        available=True,
    ),
    # What Balie cannot do by itself yet (returns, invoices and order changes come with the
    # orders issue): verified here, then handed to a person with the order confirmed, so the
    # agent can act at once. The phrases are requests ("ik wil … annuleren"), not questions
    # about how ("hoe annuleer ik"), which the knowledge base answers.
    Intent(
        IntentName.ORDER_CANCEL,
        _phrases(
            rf"(?:ik wil|graag|kunnen jullie|kun je|wil je) {_MY_ORDER_NL} (?:annuleren|cancelen)",
            rf"annuleer {_MY_ORDER_NL}",
            r"(?:i want to |please )?cancel my order",
        ),
        slots=VERIFIED_ORDER,
        available=True,
        handoff=True,
    ),
    Intent(
        IntentName.ADDRESS_CHANGE,
        _phrases(
            r"(?:ik wil|graag|kunnen jullie|kun je) (?:het |mijn )?(?:bezorg|aflever)?adres "
            r"(?:van mijn (?:bestelling|pakket) )?(?:wijzigen|aanpassen|veranderen)",
            r"(?:change|update) (?:the |my )?(?:delivery |shipping )?address (?:of|for|on) my order",
        ),
        slots=VERIFIED_ORDER,
        available=True,
        handoff=True,
    ),
    Intent(
        IntentName.INVOICE_RESEND,
        _phrases(
            r"(?:stuur|mail) (?:me |mij )?(?:de |mijn )?factuur (?:opnieuw|nog een keer|nog eens)",
            r"(?:ik wil|graag) (?:de |mijn )?factuur (?:opnieuw|nog een keer|nog eens)",
            r"(?:please )?resend (?:me )?(?:my |the )?invoice",
        ),
        slots=VERIFIED_ORDER,
        available=True,
        handoff=True,
    ),
    Intent(
        IntentName.RETURN_START,
        _phrases(
            r"(?:ik wil|graag) (?:een )?retour aanmelden voor (?:mijn|bestelling)",
            r"(?:i want to |please )?start a return for my order",
        ),
        slots=VERIFIED_ORDER,
        available=True,
        handoff=True,
    ),
)
BY_NAME = {intent.name: intent for intent in INTENTS}

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_POSTCODE = re.compile(r"\b(\d{4})\s?([a-zA-Z]{2})\b")
# Order numbers as shops print them: letters then digits ("DP24105", "#1042", "NL-2026-118").
_ORDER_NUMBER = re.compile(r"#?\b([A-Za-z]{0,4}-?\d{3,}(?:-\d+)*)\b")


def detect(question: str) -> Intent | None:
    """The first available intent whose phrase the question holds, or None."""
    text = _folded(question)
    for intent in INTENTS:
        if intent.available and any(phrase.search(text) for phrase in intent.phrases):
            return intent
    return None


def _folded(question: str) -> str:
    return " ".join(folding.fold(question.casefold()).split())[:1000]


def slots_found(question: str) -> dict[str, str]:
    """The facts a question gives: an order number, an email address or a postcode."""
    found: dict[str, str] = {}
    text = question[:2000]
    email = _EMAIL.search(text)
    if email:
        found["email"] = email.group(0).lower()
        text = text.replace(email.group(0), " ")
    postcode = _POSTCODE.search(text)
    if postcode:
        found["postcode"] = (postcode.group(1) + postcode.group(2)).upper()
        text = text.replace(postcode.group(0), " ")
    number = _ORDER_NUMBER.search(text)
    if number:
        found["order_number"] = number.group(1).upper()
    return found


def missing(intent: Intent, slots: dict[str, str]) -> list[Slot]:
    needed: list[Slot] = []
    for slot in intent.slots:
        if slot == Slot.ORDER_NUMBER and "order_number" not in slots:
            needed.append(slot)
        if slot == Slot.EMAIL_OR_POSTCODE and not ({"email", "postcode"} & slots.keys()):
            needed.append(slot)
    return needed
