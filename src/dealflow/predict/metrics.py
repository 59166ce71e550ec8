"""How good a probability is: ranking (ROC AUC, PR AUC, lift) and honesty (Brier, ECE)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

ECE_BINS = 10


def classification_metrics(outcome: npt.ArrayLike, probability: npt.ArrayLike) -> dict[str, float]:
    """ROC AUC, PR AUC, Brier score, expected calibration error and top-decile lift."""
    y = np.asarray(outcome, dtype=bool)
    p = np.asarray(probability, dtype=np.float64)
    return {
        "auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "ece": expected_calibration_error(y, p),
        "lift_top_decile": top_decile_lift(y, p),
    }


def expected_calibration_error(
    outcome: npt.NDArray[np.bool_], probability: npt.NDArray[np.float64], bins: int = ECE_BINS
) -> float:
    """Mean gap between predicted and observed rates over equal-width probability bins,
    weighted by how many predictions fall in each bin."""
    which = np.minimum((probability * bins).astype(int), bins - 1)
    gap = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            gap += inside.sum() * abs(probability[inside].mean() - outcome[inside].mean())
    return float(gap / max(len(probability), 1))


def top_decile_lift(outcome: npt.NDArray[np.bool_], probability: npt.NDArray[np.float64]) -> float:
    """Positive rate among the top-scored tenth, relative to the overall positive rate."""
    if not outcome.any():
        return 0.0
    top = np.argsort(-probability, kind="stable")[: max(1, len(probability) // 10)]
    return float(outcome[top].mean() / outcome.mean())
