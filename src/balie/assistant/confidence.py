"""How likely the best article answers the question: a logistic model over `Features`.

Fitted on the evaluation's dev split only (`bench/assistant_eval.py --fit` prints these
coefficients), never on its test split; the label is "the top article is the right one", so
the output reads as a probability and a shop's threshold as "answer when at least this sure".
"""

from __future__ import annotations

import math

from balie.assistant.retrieval import Features

INTERCEPT = -10.047
WEIGHTS = {
    "top_score": 3.911,
    "margin": 2.07,
    "known_share": 6.753,
    "clauses": 1.359,
    "letters_top": 2.386,
}


def confidence(features: Features) -> float:
    if features.clauses == 0 or features.top_score <= 0:
        return 0.0
    logit = INTERCEPT + sum(weight * _value(features, name) for name, weight in WEIGHTS.items())
    return 1 / (1 + math.exp(-max(-30.0, min(30.0, logit))))


def _value(features: Features, name: str) -> float:
    if name == "clauses":
        return math.log1p(features.clauses)
    return float(getattr(features, name))


def feature_vector(features: Features) -> list[float]:
    """The inputs in `WEIGHTS` order, for fitting."""
    return [_value(features, name) for name in WEIGHTS]
