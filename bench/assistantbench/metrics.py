"""Figures: ranking accuracy, out-of-scope precision/recall/F1, latency percentiles."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Prediction:
    expected: str | None
    ranked: Sequence[str]  # article keys, best first
    answered: bool  # False: the system said it has no answer (clarify, hand-off, none)
    seconds: float = 0.0


@dataclass(frozen=True)
class Figures:
    top1: float
    top3: float
    answered_right: float  # in-scope questions answered with the right article
    oos_precision: float
    oos_recall: float
    oos_f1: float
    p50_ms: float
    p95_ms: float
    questions: int
    out_of_scope: int


def figures(predictions: Sequence[Prediction]) -> Figures:
    scoped = [p for p in predictions if p.expected is not None]
    top1 = sum(1 for p in scoped if list(p.ranked[:1]) == [p.expected])
    top3 = sum(1 for p in scoped if p.expected in list(p.ranked[:3]))
    right = sum(1 for p in scoped if p.answered and list(p.ranked[:1]) == [p.expected])
    flagged = [p for p in predictions if not p.answered]
    true_oos = [p for p in predictions if p.expected is None]
    hits = sum(1 for p in flagged if p.expected is None)
    precision = hits / len(flagged) if flagged else 0.0
    recall = hits / len(true_oos) if true_oos else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    times = sorted(p.seconds * 1000 for p in predictions)
    return Figures(
        top1=top1 / max(1, len(scoped)),
        top3=top3 / max(1, len(scoped)),
        answered_right=right / max(1, len(scoped)),
        oos_precision=precision,
        oos_recall=recall,
        oos_f1=f1,
        p50_ms=percentile(times, 0.5),
        p95_ms=percentile(times, 0.95),
        questions=len(predictions),
        out_of_scope=len(true_oos),
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def best_threshold(scored: Sequence[tuple[float, bool]]) -> float:
    """The score threshold with the best out-of-scope F1 (below it: no answer), where
    `scored` is (top score, is out of scope) per question; ties go to the lower threshold."""
    best, best_f1 = 0.0, -1.0
    for threshold in sorted({score for score, _oos in scored} | {0.0}):
        flagged = [oos for score, oos in scored if score < threshold]
        hits = sum(flagged)
        total = sum(1 for _s, oos in scored if oos)
        precision = hits / len(flagged) if flagged else 0.0
        recall = hits / total if total else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values) if values else 0.0
