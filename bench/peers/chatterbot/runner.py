"""ChatterBot 1.2.15 answering knowledge-base questions: a benchmark peer for Balie's answers.

Runs in its own venv (setup_venv.sh prints its python), never in Balie's:

    "$(bench/peers/chatterbot/setup_venv.sh)" bench/peers/chatterbot/runner.py < input.json

Reads one JSON object on stdin:

    {"articles": [{"id": "...", "title": "...", "body": "...", "locale": "nl"}, ...],
     "questions": [{"question": "...", "locale": "nl"}, ...]}

and prints one JSON object on stdout, one prediction per question in the same order:

    {"predictions": [{"id": "<article id or null>", "confidence": 0.71, "seconds": 0.98}, ...],
     "train_seconds": 2.3, "version": "1.2.15", "settings": {...}}

One ChatBot per locale (SQLite in a temporary directory, read_only after training), trained with
a ListTrainer on one two-line conversation per (text, article): the article's title and, by
default, its first sentence, each answered by a marker that stands for the article. A question
goes to the bot of its locale (none: null). BestMatch compares it with every trained text by
ChatterBot's default comparator, LevenshteinDistance, and answers with the closest one's
marker; its confidence is that similarity. README.md says why each setting is what it is.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import chatterbot
import spacy
from chatterbot import ChatBot, languages
from chatterbot.comparisons import LevenshteinDistance
from chatterbot.tagging import LowercaseTagger
from chatterbot.trainers import ListTrainer

# The bot's answer when BestMatch finds no candidate at all: "no answer". BestMatch returns the
# closest candidate whatever its similarity (maximum_similarity_threshold only ends the search
# early), so with text_search this is rare; --min-confidence turns low confidences into null.
NO_ANSWER = "__balie_bench_geen_antwoord__"
# Each article is answered by a marker of its position, mapped back to its id afterwards: an id
# as statement text would be whitespace-cleaned by the preprocessor and matched lowercased by
# the tagger, so two ids that differ in case or spacing could not be told apart.
MARKER = "__balie_bench_artikel_{}__"
# ChatterBot 1.2.15's documented default (LogicAdapter: "Defaults to 0.95"). The 0.65 often seen
# belonged to LowConfidenceAdapter, which ChatterBot 1.0 removed.
DEFAULT_THRESHOLD = 0.95
PAIR_KINDS = ("title", "first_sentence", "body", "questions")
# text_search compares the question with every trained text; indexed_text_search (ChatterBot's
# default for SQL storage) first keeps the texts that contain one of the question's words as the
# tagger indexed them, which with LowercaseTagger drops matches on "factuur?" against "Factuur".
SEARCH_ALGORITHMS = ("text_search", "indexed_text_search")

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_LINE_START = re.compile(r"^\s{0,3}(?:>\s*)*(?:[-*+]\s+|\d+[.)]\s+)?")
_MD_INLINE = re.compile(r"<[^>]+>|[*_`~]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def plain_text(markdown: str) -> str:
    """The article's Markdown as running text: headings dropped, links by their text, no markup."""
    lines = []
    for line in markdown.splitlines():
        if line.lstrip().startswith("#"):
            continue
        lines.append(_MD_LINE_START.sub("", line))
    text = _MD_INLINE.sub("", _MD_LINK.sub(r"\1", "\n".join(lines)))
    return " ".join(text.split())


def first_sentence(markdown: str) -> str:
    text = plain_text(markdown)
    return _SENTENCE_END.split(text, maxsplit=1)[0] if text else ""


def texts_for(article: dict[str, Any], kinds: list[str]) -> list[str]:
    """The texts that stand for one article as a statement the question is compared to."""
    found = []
    for kind in kinds:
        if kind == "questions":
            # The article's other ways to ask, each a statement of its own (as Balie reads them).
            for question in article.get("questions") or []:
                text = " ".join(str(question).split())
                if text and text not in found:
                    found.append(text)
            continue
        if kind == "title":
            text = str(article.get("title") or "")
        elif kind == "first_sentence":
            text = first_sentence(str(article.get("body") or ""))
        else:
            text = plain_text(str(article.get("body") or ""))
        text = " ".join(text.split())
        if text and text not in found:
            found.append(text)
    return found


def language_for(locale: str) -> type:
    """ChatterBot's language class for a locale such as "nl" or "nl-BE" (English if none)."""
    code = locale.split("-")[0].split("_")[0].lower()
    for value in vars(languages).values():
        if isinstance(value, type) and getattr(value, "ISO_639_1", None) == code:
            return value
    return languages.ENG


def build_bot(
    locale: str, articles: list[tuple[int, dict[str, Any]]], kinds: list[str], args, folder: Path
) -> ChatBot:
    bot = ChatBot(
        f"balie-bench-{locale}",
        storage_adapter="chatterbot.storage.SQLStorageAdapter",
        database_uri=f"sqlite:///{folder / f'kb-{locale}.sqlite3'}",
        # The default PosLemmaTagger loads a spaCy model ("nl_core_news_sm" for Dutch), which is
        # not on PyPI; LowercaseTagger runs spacy.blank(<language>) and needs none. A tagger only
        # builds the index that indexed_text_search filters candidates by (and the text a
        # response is looked up by); it never changes a similarity.
        tagger=LowercaseTagger,
        tagger_language=language_for(locale),
        # The search algorithms take the comparator from the ChatBot's arguments, not from the
        # logic adapter's: named here, although it is the default, so the settings are explicit.
        statement_comparison_function=LevenshteinDistance,
        logic_adapters=[
            {
                "import_path": "chatterbot.logic.BestMatch",
                "search_algorithm_name": args.search,
                "response_selection_method": "chatterbot.response_selection.get_first_response",
                "maximum_similarity_threshold": args.threshold,
                "default_response": NO_ANSWER,
            }
        ],
        read_only=False,
    )
    trainer = ListTrainer(bot, show_training_progress=False)
    for index, article in articles:
        for text in texts_for(article, kinds):
            trainer.train([text, MARKER.format(index)])
    bot.read_only = True
    return bot


def run(payload: dict[str, Any], args) -> dict[str, Any]:
    articles = list(payload.get("articles") or [])
    questions = list(payload.get("questions") or [])
    kinds = [kind.strip() for kind in args.pairs.split(",") if kind.strip()]
    ids = {MARKER.format(index): article.get("id") for index, article in enumerate(articles)}

    by_locale: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for index, article in enumerate(articles):
        by_locale.setdefault(str(article.get("locale") or "nl"), []).append((index, article))

    predictions = []
    with tempfile.TemporaryDirectory(prefix="chatterbot-peer-") as folder:
        started = time.perf_counter()
        bots = {
            locale: build_bot(locale, group, kinds, args, Path(folder))
            for locale, group in by_locale.items()
        }
        train_seconds = time.perf_counter() - started

        for question in questions:
            bot = bots.get(str(question.get("locale") or "nl"))
            text = str(question.get("question") or "")
            if bot is None or not text.strip():
                predictions.append({"id": None, "confidence": 0.0, "seconds": 0.0})
                continue
            started = time.perf_counter()
            response = bot.get_response(text)
            seconds = time.perf_counter() - started
            confidence = float(response.confidence or 0.0)
            # A text that is no article's marker (the default response, or a trained title that
            # BestMatch fell back to when nothing matched) is no answer; so is one below the gate.
            article_id = ids.get(response.text)
            if confidence < args.min_confidence:
                article_id = None
            predictions.append({"id": article_id, "confidence": confidence, "seconds": seconds})

        for bot in bots.values():
            bot.storage.engine.dispose()

    return {
        "predictions": predictions,
        "train_seconds": train_seconds,
        "version": chatterbot.__version__,
        "settings": {
            "storage_adapter": "chatterbot.storage.SQLStorageAdapter (SQLite, temporary file)",
            "tagger": "chatterbot.tagging.LowercaseTagger",
            "tagger_language": {
                locale: language_for(locale).ENGLISH_NAME for locale in sorted(by_locale)
            },
            "logic_adapter": "chatterbot.logic.BestMatch",
            "search_algorithm": args.search,
            "statement_comparison_function": "chatterbot.comparisons.LevenshteinDistance",
            "response_selection_method": "chatterbot.response_selection.get_first_response",
            "maximum_similarity_threshold": args.threshold,
            "min_confidence": args.min_confidence,
            "default_response": NO_ANSWER,
            "preprocessors": ["chatterbot.preprocessors.clean_whitespace"],
            "read_only": True,
            "trainer": "chatterbot.trainers.ListTrainer",
            "pairs": kinds,
            "bots": len(by_locale),
            "articles": len(articles),
            "spacy": spacy.__version__,
            "python": sys.version.split()[0],
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help="BestMatch's maximum_similarity_threshold: the search stops at the first candidate "
        "this similar (default %(default)s, ChatterBot's own)",
    )
    parser.add_argument(
        "--min-confidence",
        type=float,
        default=0.0,
        help="answer null below this confidence (default %(default)s: ChatterBot's own "
        "behaviour, which answers whenever any candidate was found)",
    )
    parser.add_argument(
        "--search",
        choices=SEARCH_ALGORITHMS,
        default=SEARCH_ALGORITHMS[0],
        help="BestMatch's search_algorithm_name (default %(default)s: every trained text is a "
        "candidate; indexed_text_search is ChatterBot's own default, faster, fewer candidates)",
    )
    parser.add_argument(
        "--pairs",
        default="title,first_sentence",
        help=f"texts trained as the question side of each article, from {', '.join(PAIR_KINDS)} "
        "(default %(default)s)",
    )
    args = parser.parse_args(argv)
    unknown = {kind.strip() for kind in args.pairs.split(",")} - {*PAIR_KINDS, ""}
    if unknown:
        parser.error(f"unknown --pairs kind(s): {', '.join(sorted(unknown))}")

    payload = json.load(sys.stdin)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    # Whatever ChatterBot, spaCy or SQLAlchemy might print goes to stderr: stdout is the JSON.
    with contextlib.redirect_stdout(sys.stderr):
        result = run(payload, args)
    # The one line on stdout: the result the benchmark reads (bench/** may print, see ruff).
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
