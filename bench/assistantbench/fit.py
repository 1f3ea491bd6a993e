"""Fitting the assistant's confidence model on the dev split: logistic regression by Newton's
method with a little L2 (the dev split is small), pure Python."""

from __future__ import annotations

import math
from collections.abc import Sequence


def logistic(rows: Sequence[Sequence[float]], labels: Sequence[int], *, l2: float = 0.1,
             steps: int = 50) -> list[float]:  # fmt: skip
    """Weights [intercept, w1, …] maximising the penalised likelihood."""
    size = len(rows[0]) + 1
    weights = [0.0] * size
    data = [[1.0, *row] for row in rows]
    for _step in range(steps):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _ in range(size)]
        for row, label in zip(data, labels, strict=True):
            p = 1 / (
                1
                + math.exp(
                    -max(-30.0, min(30.0, sum(w * x for w, x in zip(weights, row, strict=True))))
                )
            )
            for i in range(size):
                gradient[i] += (label - p) * row[i]
                for j in range(size):
                    hessian[i][j] -= p * (1 - p) * row[i] * row[j]
        for i in range(1, size):
            gradient[i] -= l2 * weights[i]
            hessian[i][i] -= l2
        step = _solve(hessian, gradient)
        weights = [w - s for w, s in zip(weights, step, strict=True)]
        if max(abs(s) for s in step) < 1e-8:
            break
    return weights


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the matrix is small and dense)."""
    size = len(vector)
    a = [[*row[:], vector[i]] for i, row in enumerate(matrix)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(a[r][column]))
        a[column], a[pivot] = a[pivot], a[column]
        if abs(a[column][column]) < 1e-12:
            continue
        for row in range(size):
            if row != column:
                factor = a[row][column] / a[column][column]
                for k in range(column, size + 1):
                    a[row][k] -= factor * a[column][k]
    return [a[i][size] / a[i][i] if abs(a[i][i]) > 1e-12 else 0.0 for i in range(size)]


def calibration_error(
    probabilities: Sequence[float], labels: Sequence[int], bins: int = 10
) -> float:
    """Expected calibration error: how far stated confidence is from accuracy, binned."""
    total = len(labels)
    error = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [(p, y) for p, y in zip(probabilities, labels, strict=True)
                   if low <= p < high or (b == bins - 1 and p == 1.0)]  # fmt: skip
        if members:
            confidence = sum(p for p, _y in members) / len(members)
            accuracy = sum(y for _p, y in members) / len(members)
            error += len(members) / total * abs(confidence - accuracy)
    return error
