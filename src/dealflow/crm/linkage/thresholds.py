"""The match-probability threshold chosen from the model's own probabilities, no labels.

If the probabilities are right, the pairs above a threshold hold sum(p) true matches out of
sum(p over all pairs) there are; the threshold with the best expected F1 is used.
"""

from __future__ import annotations

import numpy as np

LOWEST = 0.2
HIGHEST = 0.99


def expected_f1_threshold(probabilities: np.ndarray) -> float:
    """The probability at or above which pairs are declared matches."""
    if len(probabilities) == 0:
        return 0.5
    ordered = np.sort(probabilities)[::-1]
    expected_matches = ordered.sum()
    true_above = np.cumsum(ordered)
    declared = np.arange(1, len(ordered) + 1)
    f1 = 2 * true_above / (declared + expected_matches)
    best = int(np.argmax(f1))
    return float(np.clip(ordered[best], LOWEST, HIGHEST))


def expected_scores(probabilities: np.ndarray, threshold: float) -> dict[str, float]:
    """Precision, recall and F1 the model expects of itself at ``threshold``."""
    above = probabilities[probabilities >= threshold]
    total = probabilities.sum()
    precision = float(above.mean()) if len(above) else 0.0
    recall = float(above.sum() / total) if total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
