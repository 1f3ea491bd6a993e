"""The assistant's one entry point: `assistant_answer`, a shopper's question in, a reply out.

In order: an empty question gets a prompt; facts an action waits for are taken from the
question (an order number, an email address, a postcode); a request for a person or a
self-service intent is handled as such; everything else is answered from the knowledge base
when the confidence reaches the shop's threshold. Below it the assistant asks once to clarify
(offering the closest articles, or asking to rephrase) and hands off the next time: with the
shopper's email address it creates the inbox conversation with the transcript, without one it
asks for it first. Every question and reply is stored as a `Turn`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from balie.assistant import actions, chat, confidence, handoff, intents, rephrase, retrieval
from balie.assistant.models import Outcome, Session, Turn
from balie.knowledge import index as knowledge_index
from balie.knowledge import markdown
from balie.knowledge.models import DEFAULT_ANSWER_THRESHOLD, ArticleTranslation, KnowledgeSettings
from balie.tenancy.models import Shop

MAX_QUESTION_CHARS = 20_000
# Longer questions are read up to here: enough for any real question, bounded work.
ANALYSED_CHARS = 1_000
ANSWER_CHARS = 700
# Articles offered to choose from: at least this score and this share of the best one's.
CLARIFY_FLOOR = 0.15
CLARIFY_SHARE = 0.6
CLARIFY_OPTIONS = 3
OUT_OF_SCOPE_CONFIDENCE = 0.1


@dataclass(frozen=True)
class ArticleRef:
    id: int
    key: str
    title: str
    locale: str


@dataclass
class Reply:
    outcome: Outcome
    answer: str
    confidence: float = 0.0
    articles: list[ArticleRef] = field(default_factory=list)
    handoff: bool = False
    reason: str = ""
    action: dict[str, Any] | None = None
    intent: str = ""
    live: bool = False  # a hand-off into a live chat (see `chat.chat_offered`)


@dataclass(frozen=True)
class Answer:
    conversation_id: str
    language: str
    reply: Reply


def assistant_answer(
    *,
    shop: Shop,
    question: str,
    locale: str = "",
    page_url: str = "",
    conversation_id: str = "",
    email: str = "",
    name: str = "",
    channel: str = "api",
    client_key: str = "",
) -> Answer:
    """Answer one question in the session `conversation_id` (a new session when it is empty,
    not one of this shop's, or bound to another widget than `client_key`). Never raises on
    any question text."""
    text = _clean(question)
    with transaction.atomic():
        session = _session(
            shop=shop,
            reference=conversation_id,
            locale=locale,
            channel=channel,
            client_key=client_key,
        )
        _contact_take(session, email=email, name=name)
        language = retrieval.reading_language(
            text[:ANALYSED_CHARS], locale=locale or session.locale, default=shop.default_locale
        )
        with translation.override(_ui_language(language)):
            reply = _reply(shop=shop, session=session, text=text, language=language)
            turn = Turn.objects.create(
                shop=shop,
                session=session,
                question=text,
                answer=reply.answer,
                outcome=reply.outcome,
                reason=reply.reason,
                intent=reply.intent,
                language=language,
                confidence=reply.confidence,
                article_ids=[article.id for article in reply.articles],
                page_url=page_url[:500],
            )
            if reply.outcome == Outcome.HANDOFF:
                # After the turn is stored, so the transcript ends with this question.
                _handoff(shop=shop, session=session, reply=reply)
                turn.answer = reply.answer
                turn.save(update_fields=["answer", "updated_at"])
            session.save()
    return Answer(conversation_id=session.reference, language=language, reply=reply)


def _reply(*, shop: Shop, session: Session, text: str, language: str) -> Reply:
    if not text.strip():
        return Reply(
            Outcome.CLARIFY,
            _("Wat wil je weten? Stel je vraag in een paar woorden."),
            reason="empty_question",
        )
    found = intents.slots_found(text)
    waiting = session.pending.get("handoff")
    if waiting and not session.customer_email and "email" in found:
        session.customer_email = found["email"]
    if waiting and session.customer_email:
        return _handoff_reply(shop, session, reason=str(waiting))
    pending_intent = session.pending.get("intent")
    if pending_intent and found:
        return _intent_reply(
            shop=shop,
            session=session,
            intent=intents.BY_NAME[intents.IntentName(pending_intent)],
            slots={**session.pending.get("slots", {}), **found},
        )
    analysed = text[:ANALYSED_CHARS]
    intent = intents.detect(analysed)
    if intent is not None and intent.name == intents.IntentName.SMALL_TALK:
        return Reply(
            Outcome.CLARIFY,
            _small_talk_answer(intents.small_talk_kind(analysed)),
            reason="small_talk",
            intent=intent.name,
        )
    if intent is not None and intent.name == intents.IntentName.HUMAN:
        return _handoff_reply(shop, session, reason="asked_for_person", intent=intent.name)
    if intent is not None:
        return _intent_reply(shop=shop, session=session, intent=intent, slots=found)
    session.pending.pop("intent", None)
    session.pending.pop("slots", None)
    return _knowledge_reply(shop=shop, session=session, text=analysed, language=language)


def _knowledge_reply(*, shop: Shop, session: Session, text: str, language: str) -> Reply:
    shop_index = knowledge_index.shop_index(shop=shop)
    found = retrieval.retrieve(shop_index, text, locale=language, default=shop.default_locale)
    sure = confidence.confidence(found.features)
    candidates = found.candidates
    if candidates and sure >= answer_threshold(shop=shop):
        best = candidates[0].entry
        offline = _answer_text(shop=shop, translation_id=best.translation_id)
        return Reply(
            Outcome.ANSWERED,
            rephrase.rephrase(question=text, sources=[offline], fallback=offline),
            confidence=sure,
            articles=[_ref(candidate.entry) for candidate in candidates[:1]],
        )
    out_of_scope = sure < OUT_OF_SCOPE_CONFIDENCE
    reason = "out_of_scope" if out_of_scope else "low_confidence"
    if session.clarified:
        return _handoff_reply(shop, session, reason=reason, sure=sure)
    session.clarified = True
    floor = max(CLARIFY_FLOOR, CLARIFY_SHARE * (candidates[0].score if candidates else 0.0))
    close = [c for c in candidates if c.score >= floor][:CLARIFY_OPTIONS]
    if len(close) >= 2 and not out_of_scope:
        options = [_ref(candidate.entry) for candidate in close]
        return Reply(
            Outcome.CLARIFY,
            _("Ik weet niet zeker wat je bedoelt. Gaat je vraag over een van deze onderwerpen?"),
            confidence=sure,
            articles=options,
            reason=reason,
            action={
                "type": "choose",
                "options": [{"article_id": o.id, "title": o.title} for o in options],
            },
        )
    return Reply(
        Outcome.CLARIFY,
        _(
            "Daar heb ik geen goed antwoord op. Kun je je vraag anders stellen? "
            "Of typ 'medewerker', dan geef ik je door aan een collega."
        ),
        confidence=sure,
        reason=reason,
    )


def _intent_reply(
    *, shop: Shop, session: Session, intent: intents.Intent, slots: dict[str, str]
) -> Reply:
    missing = intents.missing(intent, slots)
    if missing:
        session.pending.update({"intent": intent.name, "slots": slots})
        return Reply(
            Outcome.VERIFY,
            _(
                "Ik zoek je bestelling graag voor je op. Wat is je bestelnummer, en het "
                "e-mailadres of de postcode waarmee je bestelde?"
            ),
            intent=intent.name,
            action={"type": "verify", "intent": intent.name, "fields": list(missing)},
        )
    order = actions.order_verified(shop=shop, slots=slots)
    if order is None:
        attempts = int(session.pending.get("attempts", 0)) + 1
        if attempts >= actions.MAX_ATTEMPTS:
            session.pending = {}
            return _handoff_reply(shop, session, reason="verification_failed", intent=intent.name)
        session.pending.update({"intent": intent.name, "slots": {}, "attempts": attempts})
        return Reply(
            Outcome.VERIFY,
            _(
                "Ik kan geen bestelling vinden met dit bestelnummer en deze gegevens. "
                "Kijk ze nog eens na in je orderbevestiging en probeer het opnieuw."
            ),
            intent=intent.name,
            action={
                "type": "verify",
                "intent": intent.name,
                "fields": list(intents.VERIFIED_ORDER),
            },
        )
    session.pending = {}
    if not session.customer_email and order.customer.email:
        session.customer_email = order.customer.email
    if intent.handoff:
        reply = _handoff_reply(shop, session, reason="action_request", intent=intent.name)
        reply.answer = _(
            "Ik heb je bestelling %(number)s gevonden en geef je verzoek door aan een collega."
        ) % {"number": order.number}
        return reply
    result = actions.perform(intent=intent, order=order)
    return Reply(
        Outcome.ACTION, result.answer, confidence=1.0, intent=intent.name, action=result.action
    )


def _handoff_reply(
    shop: Shop, session: Session, *, reason: str, intent: str = "", sure: float = 0.0
) -> Reply:
    live = chat.chat_offered(shop=shop, session=session, now=timezone.now()) is not None
    if not live and not session.customer_email:
        session.pending = {"handoff": reason}
        return Reply(
            Outcome.CONTACT_NEEDED,
            _(
                "Ik geef je vraag graag door aan een collega. Op welk e-mailadres kunnen we "
                "je bereiken?"
            ),
            confidence=sure,
            handoff=True,
            reason=reason,
            intent=intent,
            action={"type": "contact_needed", "fields": ["email"]},
        )
    session.pending = {}
    return Reply(
        Outcome.HANDOFF,
        (
            _("Ik verbind je met een collega. Je kunt hier gewoon verder typen.")
            if live
            else _("Ik geef je vraag door aan een collega.")
        ),
        confidence=sure,
        handoff=True,
        reason=reason,
        intent=intent,
        live=live,
    )


def _handoff(*, shop: Shop, session: Session, reply: Reply) -> None:
    """Create the inbox conversation; the reply learns when the shopper hears back."""
    session.save()
    made = handoff.handoff_create(
        shop=shop, session=session, reason=reply.reason, intent=reply.intent, live=reply.live
    )
    session.conversation = made.conversation
    reply.answer = f"{reply.answer} {made.expected_response}"
    reply.action = {
        "type": "handoff",
        "channel": made.channel,
        "conversation_reference": made.conversation.reference,
        "expected_response": made.expected_response,
        "expected_at": made.expected_at.isoformat() if made.expected_at else None,
        "agents_available": made.agents_available,
        "intent": reply.intent or None,
    }


def _small_talk_answer(kind: str) -> str:
    if kind == "thanks":
        return _("Graag gedaan! Kan ik je nog ergens anders mee helpen?")
    if kind == "goodbye":
        return _("Fijne dag! Je kunt me altijd weer een vraag stellen.")
    return _(
        "Hoi! Ik ben de digitale assistent van de klantenservice. Stel je vraag over "
        "bestellen, bezorgen, betalen, retourneren of je account, dan help ik je verder."
    )


def _session(*, shop: Shop, reference: str, locale: str, channel: str, client_key: str) -> Session:
    if reference:
        found: Session | None = (
            Session.objects.for_shop(shop)
            .select_for_update()
            .filter(reference=reference, client_key=client_key)
            .first()
        )
        if found is not None:
            return found
    return Session.objects.create(
        shop=shop, locale=locale[:8], channel=channel[:16], client_key=client_key
    )


def _contact_take(session: Session, *, email: str = "", name: str = "") -> None:
    """Contact details from the request; an invalid address is ignored, not an error."""
    email = email.strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            email = ""
    if email:
        session.customer_email = email
    if name.strip():
        session.customer_name = " ".join(name.split())[:150]


def answer_threshold(*, shop: Shop) -> float:
    """The confidence from which the shop's assistant answers by itself."""
    value = (
        KnowledgeSettings.objects.filter(shop=shop)
        .values_list("answer_threshold", flat=True)
        .first()
    )
    return DEFAULT_ANSWER_THRESHOLD if value is None else value


def _answer_text(*, shop: Shop, translation_id: int) -> str:
    row = (
        ArticleTranslation.objects.for_shop(shop)
        .filter(pk=translation_id)
        .values_list("title", "body")
        .first()
    )
    if row is None:
        return ""
    title, body = row
    paragraphs = [p.strip() for p in markdown.plain_text(body).split("\n") if p.strip()]
    text = ""
    for paragraph in paragraphs:
        if text and len(text) + len(paragraph) > ANSWER_CHARS:
            break
        text = f"{text}\n{paragraph}" if text else paragraph
    return f"{title}\n\n{text}" if text else title


def _ref(entry: knowledge_index.Entry) -> ArticleRef:
    return ArticleRef(id=entry.article_id, key=entry.key, title=entry.title, locale=entry.locale)


# The languages of the assistant's own sentences: Balie's (settings.LANGUAGES, which the agent
# UI speaks) plus German and French, whose catalogues translate only what the assistant says to
# shoppers (tests/test_languages.py checks that every such sentence is translated).
ASSISTANT_LANGUAGES = ("nl", "en", "de", "fr")


def _ui_language(language: str) -> str:
    """The language the assistant answers in: the question's when it speaks it, else English."""
    available = {*ASSISTANT_LANGUAGES, *(code for code, _name in settings.LANGUAGES)}
    return language if language in available else "en"


def _clean(question: str) -> str:
    """Text every database takes; at most `MAX_QUESTION_CHARS` (the API refuses longer)."""
    cleaned = question.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")
    return cleaned[:MAX_QUESTION_CHARS].strip()
