"""Optional: an OpenAI-compatible chat endpoint rephrases the offline answer.

Only when `BALIE_ASSISTANT_LLM_URL` is set; otherwise this module sends nothing anywhere. The
model gets the question and the articles the assistant found, told to answer from those alone;
its text is used only when it passes `grounded` (every number in it appears in the articles,
so no invented prices, terms or dates), else the offline answer stands. Any error or timeout
also leaves the offline answer: the shopper never waits on, or sees a failure of, the model.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Sequence

from django.conf import settings

logger = logging.getLogger(__name__)

MAX_ANSWER_CHARS = 1_200
MAX_SOURCE_CHARS = 6_000
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
SYSTEM_PROMPT = (
    "Je bent de klantenservice-assistent van een webshop. Beantwoord de vraag van de klant "
    "kort en vriendelijk, in de taal van de vraag, alleen met informatie uit de artikelen "
    "hieronder. Staat het antwoord er niet in, zeg dan dat je het niet zeker weet. Verzin "
    "geen bedragen, termijnen of data."
)


def is_configured() -> bool:
    return bool(settings.BALIE_ASSISTANT_LLM_URL)


def rephrase(*, question: str, sources: Sequence[str], fallback: str) -> str:
    """The model's answer when configured, reachable and grounded; else `fallback`."""
    if not is_configured():
        return fallback
    context = "\n\n---\n\n".join(sources)[:MAX_SOURCE_CHARS]
    body = {
        "model": settings.BALIE_ASSISTANT_LLM_MODEL or "default",
        "temperature": 0.2,
        "max_tokens": 400,
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"Artikelen:\n{context}\n\nVraag: {question[:2000]}"},
        ],
    }
    request = urllib.request.Request(  # noqa: S310  # the URL is the admin's setting, http(s) checked below
        settings.BALIE_ASSISTANT_LLM_URL,
        data=json.dumps(body).encode(),
        headers={
            "Content-Type": "application/json",
            **(
                {"Authorization": f"Bearer {settings.BALIE_ASSISTANT_LLM_API_KEY}"}
                if settings.BALIE_ASSISTANT_LLM_API_KEY
                else {}
            ),
        },
        method="POST",
    )
    if request.type not in ("http", "https"):
        logger.warning("assistant_llm_bad_url", extra={"scheme": request.type})
        return fallback
    try:
        with urllib.request.urlopen(  # noqa: S310  # scheme checked above
            request, timeout=settings.BALIE_ASSISTANT_LLM_TIMEOUT_SECONDS
        ) as response:
            payload = json.loads(response.read(200_000))
        text = str(payload["choices"][0]["message"]["content"]).strip()
    except (OSError, urllib.error.URLError, ValueError, KeyError, IndexError, TypeError) as error:
        logger.warning("assistant_llm_failed", extra={"error": type(error).__name__})
        return fallback
    if not text or len(text) > MAX_ANSWER_CHARS or not grounded(text, sources):
        logger.info("assistant_llm_rejected", extra={"chars": len(text)})
        return fallback
    return text


def grounded(text: str, sources: Sequence[str]) -> bool:
    """Every number the model wrote is one the articles hold."""
    known = {_normal(number) for source in sources for number in _NUMBER.findall(source)}
    return all(_normal(number) in known for number in _NUMBER.findall(text))


def _normal(number: str) -> str:
    return number.replace(",", ".")
