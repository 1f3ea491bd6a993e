"""The assistant speaks German and French to shoppers, though Balie's own UI is nl/en only.

The de and fr catalogues translate just the assistant's sentences; an untranslated one would
reach a German or French shopper in Dutch (Django falls back to the default language), so the
last tests read the assistant's code for every sentence it can say and demand a translation.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

import balie
from balie.assistant import services
from balie.assistant.models import Outcome
from balie.orders.tests.factories import OrderFactory
from balie.tenancy.models import Shop
from balie.tenancy.tests.factories import ContactOptionFactory

NBSP = "\N{NO-BREAK SPACE}"


def _ask(shop: Shop, question: str, **kwargs: str) -> services.Answer:
    return services.assistant_answer(shop=shop, question=question, **kwargs)


@pytest.mark.parametrize(
    ("question", "language", "expected"),
    [
        (
            "Wie wird das Wetter morgen in Berlin?",
            "de",
            "Darauf habe ich leider keine gute Antwort. Kannst du deine Frage anders stellen? "
            "Oder schreib „Mitarbeiter“, dann leite ich dich an unser Team weiter.",
        ),
        (
            "Quel temps fera-t-il demain à Paris ?",
            "fr",
            f"Je n’ai pas de bonne réponse à cette question. Pouvez-vous la formuler "
            f"autrement{NBSP}? Ou tapez «{NBSP}conseiller{NBSP}» et je transmets votre demande "
            f"à un conseiller.",
        ),
    ],
)
def test_a_question_without_a_good_answer_is_asked_again_in_its_language(
    knowledge: Shop, question: str, language: str, expected: str
) -> None:
    # when
    answer = _ask(knowledge, question)
    # then
    assert answer.language == language
    assert answer.reply.outcome == Outcome.CLARIFY
    assert answer.reply.answer == expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Ich möchte mit einem Mitarbeiter sprechen",
            "Ich leite deine Frage gern an unser Team weiter. "
            "Unter welcher E-Mail-Adresse erreichen wir dich?",
        ),
        (
            "Je voudrais parler à un conseiller",
            "Je peux transmettre votre question à un conseiller. "
            f"À quelle adresse e-mail pouvons-nous vous répondre{NBSP}?",
        ),
    ],
)
def test_a_hand_off_asks_for_the_email_address_in_the_questions_language(
    knowledge: Shop, question: str, expected: str
) -> None:
    # when
    answer = _ask(knowledge, question)
    # then
    assert answer.reply.outcome == Outcome.CONTACT_NEEDED
    assert answer.reply.answer == expected


def test_a_french_hand_off_promises_the_answer_in_french(knowledge: Shop) -> None:
    # given
    ContactOptionFactory(shop=knowledge, channel="email", business_hours_only=False)
    # when
    answer = _ask(knowledge, "Je voudrais parler à un conseiller", email="louise@example.fr")
    # then
    assert answer.reply.outcome == Outcome.HANDOFF
    assert answer.reply.action is not None
    promise = answer.reply.action["expected_response"]
    # "sous 4 heures", or "demain avant …" late in the evening
    assert promise.startswith("Vous recevrez une réponse ")
    assert answer.reply.answer == f"Je transmets votre question à un conseiller. {promise}"


def test_a_german_shopper_hears_the_order_status_in_german(knowledge: Shop) -> None:
    # given
    OrderFactory(shop=knowledge, number="DP24101", status="shipped", carrier="DHL",
                 tracking_code="00340434", customer__email="jonas@example.de")  # fmt: skip
    # when: the widget on a German page sends locale "de" with every message
    asked = _ask(knowledge, "Wo ist meine Bestellung?", locale="de")
    told = _ask(knowledge, "DP24101, 1234 AB", locale="de", conversation_id=asked.conversation_id)
    # then
    assert asked.reply.outcome == Outcome.VERIFY
    assert asked.reply.answer.startswith("Ich suche deine Bestellung gern für dich heraus.")
    assert told.reply.outcome == Outcome.ACTION
    assert told.reply.answer == (
        "Deine Bestellung DP24101 ist mit DHL unterwegs. Deine Sendungsnummer lautet 00340434."
    )
    assert told.reply.action is not None
    assert told.reply.action["order"]["status_label"] == "Versandt"


@pytest.mark.parametrize(
    ("language", "spoken"), [("nl", "nl"), ("en", "en"), ("de", "de"), ("fr", "fr"), ("es", "en")]
)
def test_a_language_the_assistant_does_not_speak_gets_english(language: str, spoken: str) -> None:
    # when / then
    assert services._ui_language(language) == spoken


# Where the assistant's sentences to shoppers are written: a whole module (None), or the named
# functions and classes with the module's functions they call. The hand-off's transcript and
# subject are for agents, in the shop's language, and stay out.
SHOPPER_FACING: dict[str, tuple[str, ...] | None] = {
    "assistant/services.py": None,
    "assistant/actions.py": None,
    "assistant/handoff.py": ("expected_response",),
    "web/response_times.py": ("promise_sentence",),
    "orders/models.py": ("OrderStatus",),  # `status_label` in the order_status action
}

# Django's gettext functions by the argument positions of (context, msgid, msgid_plural).
_GETTEXT: dict[str, tuple[int | None, int, int | None]] = {
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
_MISSING = "\x00missing"

type Msgid = tuple[str | None, str, str | None]  # context, msgid, msgid_plural


def _shopper_msgids() -> set[Msgid]:
    root = Path(balie.__file__).parent
    found: set[Msgid] = set()
    for path, names in SHOPPER_FACING.items():
        tree = ast.parse((root / path).read_text(encoding="utf-8"))
        for node in _reached(tree, names):
            found |= _msgids(tree, node, where=path)
    return found


def _reached(tree: ast.Module, names: tuple[str, ...] | None) -> list[ast.AST]:
    """The whole module, or the named definitions and, transitively, the module's functions
    they call."""
    if names is None:
        return [tree]
    defined = {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    }
    missing = set(names) - set(defined)
    assert not missing, f"SHOPPER_FACING names what is not there: {sorted(missing)}"
    todo, seen = list(names), set[str]()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(
            node.func.id
            for node in ast.walk(defined[name])
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in defined
        )
    return [defined[name] for name in sorted(seen)]


def _msgids(tree: ast.Module, scope: ast.AST, *, where: str) -> set[Msgid]:
    aliases = {
        alias.asname or alias.name: alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in _GETTEXT
    }
    found: set[Msgid] = set()
    for node in ast.walk(scope):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id in aliases:
            function = aliases[node.func.id]
        elif isinstance(node.func, ast.Attribute) and node.func.attr in _GETTEXT:
            function = node.func.attr  # translation.gettext(...)
        else:
            continue
        context, singular, plural = (
            None if position is None else _literal(node, position, where=where)
            for position in _GETTEXT[function]
        )
        assert singular is not None
        found.add((context, singular, plural))
    return found


def _literal(call: ast.Call, position: int, *, where: str) -> str:
    argument = call.args[position]
    if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
        pytest.fail(f"{where}:{call.lineno}: a shopper's sentence must be a literal to be checked")
    return argument.value


class _Missing(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return _MISSING

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return _MISSING

    def pgettext(self, context: str, message: str) -> str:
        return _MISSING

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return _MISSING


def _catalogue(language: str) -> gettext.GNUTranslations:
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.mo"
    with path.open("rb") as file:
        catalogue = gettext.GNUTranslations(file)
    catalogue.add_fallback(_Missing())
    return catalogue


def _translations(catalogue: gettext.GNUTranslations, msgid: Msgid) -> list[str]:
    context, singular, plural = msgid
    if plural is None:
        if context is None:
            return [catalogue.gettext(singular)]
        return [catalogue.pgettext(context, singular)]
    if context is None:
        return [catalogue.ngettext(singular, plural, n) for n in (1, 2)]
    return [catalogue.npgettext(context, singular, plural, n) for n in (1, 2)]


def test_the_assistants_sentences_are_found_in_its_code() -> None:
    # when
    msgids = _shopper_msgids()
    # then: a sample from each place, so a broken reader cannot pass the test below
    assert (None, "Ik geef je vraag door aan een collega.", None) in msgids
    assert (None, "Je bestelling %(number)s is geannuleerd.", None) in msgids
    assert (None, "We reageren zo snel mogelijk.", None) in msgids
    assert ("on a date", "op %(date)s", None) in msgids  # day_phrase, called by the sentence
    assert (None, "%(count)d uur", "%(count)d uur") in msgids  # duration_phrase
    assert (None, "Verzonden", None) in msgids
    assert (None, "Vraag via de assistent: %(question)s", None) not in msgids  # for agents
    assert len(msgids) >= 40


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_sentence_of_the_assistant_is_translated(language: str) -> None:
    # given
    catalogue = _catalogue(language)
    # when
    untranslated = []
    wrong_placeholders = []
    for msgid in sorted(_shopper_msgids(), key=repr):
        translations = _translations(catalogue, msgid)
        if _MISSING in translations or not all(text.strip() for text in translations):
            untranslated.append(msgid)
            continue
        names = set(_PLACEHOLDER.findall(msgid[1]))
        if any(set(_PLACEHOLDER.findall(text)) != names for text in translations):
            wrong_placeholders.append((msgid, translations))
    # then: translate them in locale/<language>/LC_MESSAGES/django.po and run `make messages`
    assert untranslated == []
    assert wrong_placeholders == []
