"""Assistant evaluation: Balie's offline assistant against ChatterBot 1.2.15 and plain BM25.

1. Knowledge base: the demo shop's ~70 articles (Dutch, some English) imported into a fresh
   SQLite database through `knowledge_import`, as a shop would.
2. Questions: `bench/assistant_data/` (Dutch and English paraphrases, out-of-scope ones among
   them), split dev/test. Everything tunable is chosen on dev; figures are on test.
3. Balie: each test question through `assistant_answer` (the API's service, a new
   conversation each time, timed end to end) and `retrieval.retrieve` for the ranking.
   Ranking: top-1/top-3 by article. Out of scope: the assistant did not answer (asked to
   clarify or handed off) = flagged. Latency p50/p95 per question.
4. Peers on the same data in the same run: ChatterBot 1.2.15 in its own venv
   (`peers/chatterbot/`, trained on each article's title, first sentence and other ways to
   ask), its no-answer threshold chosen on dev; a plain BM25 (`assistantbench/baseline.py`),
   threshold chosen on dev.
5. Scale: the same test questions with 1,000 articles (the demo's plus product pages), Balie
   and ChatterBot; search-as-you-type p95 over 5,000 articles.

    .venv/bin/python bench/assistant_eval.py [--fit] [--skip-chatterbot] [--skip-scale]

`--fit` prints the confidence model fitted on dev (for `assistant/confidence.py`) and exits.
Targets: top-1 >= 0.90, out-of-scope F1 >= 0.85, p95 < 20 ms at 1,000 articles; search p95
< 50 ms at 5,000. Results in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = ROOT / "var" / "bench"
DATABASE = WORK / "assistant-eval.sqlite3"
sys.path.insert(0, str(HERE))
WORK.mkdir(parents=True, exist_ok=True)
for suffix in ("", "-wal", "-shm"):
    Path(f"{DATABASE}{suffix}").unlink(missing_ok=True)
os.environ.update(
    DATABASE_URL=f"sqlite:///{DATABASE}",
    DEBUG="false",
    BALIE_LOG_LEVEL="ERROR",
    BALIE_ASSISTANT_LLM_URL="",
    DJANGO_SETTINGS_MODULE="balie.settings",
)
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402  (the environment above first)

django.setup()

from assistantbench import baseline, data, fit, metrics  # noqa: E402
from django.core.management import call_command  # noqa: E402

from balie.assistant import confidence, retrieval, services  # noqa: E402
from balie.assistant.models import Outcome  # noqa: E402
from balie.knowledge import index as knowledge_index  # noqa: E402
from balie.knowledge import markdown  # noqa: E402
from balie.knowledge import services as knowledge_services  # noqa: E402
from balie.tenancy.models import Shop  # noqa: E402

CHATTERBOT = HERE / "peers" / "chatterbot"
SAID = {Outcome.ANSWERED, Outcome.ACTION, Outcome.VERIFY}  # the assistant claimed to help


def shop_with(slug: str, articles: list[dict[str, Any]]) -> Shop:
    shop = Shop.objects.create(name=slug, slug=slug)
    content = "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles).encode()
    knowledge_services.knowledge_import(shop=shop, content=content, file_format="jsonl")
    return shop


def balie_run(shop: Shop, questions: list[data.Question]) -> list[metrics.Prediction]:
    shop_index = knowledge_index.shop_index(shop=shop)  # built before the clock runs
    shop_index.search_phrases("warm")
    predictions = []
    for question in questions:
        found = retrieval.retrieve(shop_index, question.text, locale="", default="nl")
        started = time.perf_counter()
        answer = services.assistant_answer(shop=shop, question=question.text)
        seconds = time.perf_counter() - started
        predictions.append(
            metrics.Prediction(
                expected=question.expected,
                ranked=[c.entry.key for c in found.candidates],
                answered=answer.reply.outcome in SAID,
                seconds=seconds,
            )
        )
    return predictions


def fit_print(shop: Shop) -> None:
    shop_index = knowledge_index.shop_index(shop=shop)
    rows, labels, tops = [], [], []
    for question in data.questions("dev"):
        found = retrieval.retrieve(shop_index, question.text, locale="", default="nl")
        right = bool(found.candidates) and found.candidates[0].entry.key == question.expected
        rows.append(confidence.feature_vector(found.features))
        labels.append(int(right))
        tops.append((found.features, question.expected is None))
    weights = fit.logistic(rows, labels)
    names = list(confidence.WEIGHTS)
    print("INTERCEPT =", round(weights[0], 3))
    print("WEIGHTS =", {n: round(w, 3) for n, w in zip(names, weights[1:], strict=True)})
    confidence.INTERCEPT = weights[0]
    confidence.WEIGHTS = dict(zip(names, weights[1:], strict=True))
    scored = [(confidence.confidence(f), oos) for f, oos in tops]
    print("dev-best threshold:", round(metrics.best_threshold(scored), 3))
    probabilities = [confidence.confidence(f) for f, _oos in tops]
    print("dev calibration error:", round(fit.calibration_error(probabilities, labels), 3))


def bm25_run(articles: list[dict[str, Any]]) -> tuple[metrics.Figures, float]:
    documents = [
        (
            data.article_key(a),
            " ".join(
                [str(a["title"]), *a.get("questions", []), markdown.plain_text(str(a["body"]))]
            ),
        )
        for a in articles
        if not a.get("internal")
    ]
    engine = baseline.PlainBM25(documents)
    dev = [(engine.search(q.text, 1), q.expected is None) for q in data.questions("dev")]
    threshold = metrics.best_threshold([(hits[0][1] if hits else 0.0, oos) for hits, oos in dev])
    predictions = []
    for question in data.questions("test"):
        started = time.perf_counter()
        hits = engine.search(question.text, 3)
        seconds = time.perf_counter() - started
        predictions.append(
            metrics.Prediction(
                expected=question.expected,
                ranked=[hit_id for hit_id, _score in hits],
                answered=bool(hits) and hits[0][1] >= threshold,
                seconds=seconds,
            )
        )
    return metrics.figures(predictions), threshold


def chatterbot_run(
    articles: list[dict[str, Any]], *, search: str = "text_search"
) -> tuple[metrics.Figures, dict[str, Any]]:
    python = subprocess.run(
        [str(CHATTERBOT / "setup_venv.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()
    public = [a for a in articles if not a.get("internal")]
    keys = {str(a["id"]): data.article_key(a) for a in public}
    dev, test = data.questions("dev"), data.questions("test")
    payload = {
        "articles": [
            {"id": a["id"], "title": a["title"], "body": markdown.plain_text(str(a["body"])),
             "locale": a["locale"], "questions": a.get("questions", [])}
            for a in public
        ],
        "questions": [{"question": q.text, "locale": q.locale} for q in [*dev, *test]],
    }  # fmt: skip
    done = subprocess.run(
        [python, str(CHATTERBOT / "runner.py"), "--pairs", "title,first_sentence,questions",
         "--search", search],
        input=json.dumps(payload), capture_output=True, text=True, check=True,
    )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    answers = result["predictions"]
    dev_answers, test_answers = answers[: len(dev)], answers[len(dev) :]
    threshold = metrics.best_threshold(
        [
            (a["confidence"] if a["id"] else 0.0, q.expected is None)
            for a, q in zip(dev_answers, dev, strict=True)
        ]
    )
    predictions = [
        metrics.Prediction(
            expected=question.expected,
            ranked=[keys[answer["id"]]] if answer["id"] else [],
            answered=bool(answer["id"]) and answer["confidence"] >= threshold,
            seconds=answer["seconds"],
        )
        for answer, question in zip(test_answers, test, strict=True)
    ]
    return metrics.figures(predictions), {**result.get("settings", {}), "threshold": threshold,
                                          "train_seconds": result.get("train_seconds")}  # fmt: skip


def search_as_you_type(shop: Shop, questions: list[data.Question]) -> dict[str, float]:
    started = time.perf_counter()
    knowledge_index.cache_clear()
    shop_index = knowledge_index.shop_index(shop=shop)
    build = time.perf_counter() - started
    times = []
    for question in questions:
        text = question.text[:200]
        # What a search box sends while typing: after each word, and the whole question.
        prefixes = [*[text[:i] for i in range(len(text)) if text[i] == " "][:8], text]
        for prefix in prefixes:
            began = time.perf_counter()
            shop_index.search(prefix, limit=10)
            times.append((time.perf_counter() - began) * 1000)
    return {"articles": len(shop_index), "build_s": build, "searches": len(times),
            "p50_ms": metrics.percentile(times, 0.5), "p95_ms": metrics.percentile(times, 0.95)}  # fmt: skip


def row(name: str, figures: metrics.Figures) -> str:
    return (
        f"  {name:<22} top-1 {figures.top1:.3f}  top-3 {figures.top3:.3f}  answered right "
        f"{figures.answered_right:.3f}  OOS P {figures.oos_precision:.2f} R {figures.oos_recall:.2f} "
        f"F1 {figures.oos_f1:.3f}  p50 {figures.p50_ms:.2f} ms  p95 {figures.p95_ms:.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fit", action="store_true")
    parser.add_argument("--skip-chatterbot", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument(
        "--split", choices=("test", "dev"), default="test", help="dev: for tuning, never report"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    articles = data.articles()
    shop = shop_with("eval", articles)
    if args.fit:
        fit_print(shop)
        return
    test = data.questions(args.split)
    print(f"knowledge base: {len(articles)} articles; test questions: {len(test)} "
          f"({sum(q.expected is None for q in test)} out of scope), dev {len(data.questions('dev'))}; "
          f"load {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(row("Balie", metrics.figures(balie_run(shop, test))))
    bm25, threshold = bm25_run(articles)
    print(row("plain BM25", bm25) + f"  (threshold {threshold:.2f} from dev)")
    if not args.skip_chatterbot:
        figures, settings = chatterbot_run(articles)
        print(row("ChatterBot 1.2.15", figures) + f"  {json.dumps(settings)}")
    if args.skip_scale:
        return
    big = shop_with("eval-1k", articles + data.fillers(1000 - len(articles)))
    print(row("Balie, 1,000 articles", metrics.figures(balie_run(big, test))))
    if not args.skip_chatterbot:
        # ChatterBot's own default search here: comparing with every text takes ~1 s a question.
        figures, _settings = chatterbot_run(
            articles + data.fillers(1000 - len(articles)), search="indexed_text_search"
        )
        print(row("ChatterBot, 1,000 (indexed)", figures))
    huge = shop_with("eval-5k", articles + data.fillers(5000 - len(articles)))
    print(f"  search as you type, {json.dumps(search_as_you_type(huge, test))}")


if __name__ == "__main__":
    main()
