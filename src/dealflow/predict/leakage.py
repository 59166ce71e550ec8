"""The leakage guard: columns that nearly determine the outcome on their own.

Such a column was usually filled in after the outcome was known (a status, a quality grade set
by the sales team, a reason for losing). Three tests, each on one column alone:
- its out-of-fold ROC AUC (values, or quantile bins of numbers, encoded by their positive rate
  on the other folds) is at least 0.80 or at most 0.20;
- the same, on the rows where a partly filled text column has a value (a grade or tag the
  team fills in once they know how things went);
- it is filled (or missing) almost only when the outcome is positive (or negative).
Ordinary strong predictors rank outcomes well but not nearly perfectly, and are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold

LEAK_AUC = 0.80
PURITY = 0.98  # share of one outcome among filled (or missing) rows that reads as "only when"
MIN_PATTERN_SHARE = 0.05  # ... when at least this share of rows are filled (or missing)
MIN_PATTERN_ROWS = 20
FOLDS = 5
BINS = 20
SMOOTHING = 10.0


@dataclass(frozen=True)
class Leak:
    """A column suspected of revealing the outcome: how strongly, and why."""

    column: str
    score: float
    why: str


def find_leaks(
    features: pd.DataFrame,
    outcome: npt.ArrayLike,
    *,
    threshold: float = LEAK_AUC,
    seed: int = 0,
) -> list[Leak]:
    """Every column that nearly determines ``outcome`` by itself (ROC AUC at least
    ``threshold``, or at most one minus it), strongest first."""
    y = np.asarray(outcome, dtype=bool)
    if y.all() or not y.any() or min(y.sum(), (~y).sum()) < FOLDS:
        return []
    leaks = []
    for name in features.columns:
        column = features[name]
        auc = single_column_auc(column, y, seed=seed)
        if auc >= threshold or auc <= 1 - threshold:
            why = f"alone it ranks the outcomes with ROC AUC {auc:.2f} (out of fold)"
            leaks.append(Leak(name, round(auc, 4), why))
            continue
        pattern = _when_filled(column, y, threshold, seed) or _presence_pattern(column, y)
        if pattern is not None:
            leaks.append(Leak(name, *pattern))
    return sorted(leaks, key=lambda leak: -abs(leak.score - 0.5))


def single_column_auc(column: pd.Series, outcome: npt.NDArray[np.bool_], *, seed: int) -> float:
    """ROC AUC of the column's values, each encoded by its positive rate on the other folds."""
    groups = _groups(column)
    encoded = np.zeros(len(outcome))
    prior = outcome.mean()
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed)
    for fit_rows, test_rows in folds.split(groups, outcome):
        size = np.bincount(groups[fit_rows], minlength=groups.max() + 1)
        positives = np.bincount(groups[fit_rows], weights=outcome[fit_rows], minlength=size.size)
        rate = (positives + SMOOTHING * prior) / (size + SMOOTHING)
        encoded[test_rows] = rate[groups[test_rows]]
    return float(roc_auc_score(outcome, encoded))


def _groups(column: pd.Series) -> npt.NDArray[np.int64]:
    """A group number per row: the value (or quantile bin of a number); missing is group 0."""
    if pd.api.types.is_numeric_dtype(column) and column.nunique() > BINS:
        bins = pd.qcut(column, BINS, labels=False, duplicates="drop")
        return np.asarray(bins.fillna(-1).to_numpy(np.float64) + 1, dtype=np.int64)
    codes, _ = pd.factorize(column.astype(object).where(column.notna(), None))
    return np.asarray(codes + 1, dtype=np.int64)


def _when_filled(
    column: pd.Series, outcome: npt.NDArray[np.bool_], threshold: float, seed: int
) -> tuple[float, str] | None:
    """(AUC, why) when a partly filled text column (a grade, a status, a tag) nearly
    determines the outcome where filled. Numbers are left to the other tests: recency
    measures ("days since the last reply") are partly filled and honestly strong."""
    if pd.api.types.is_numeric_dtype(column):
        return None
    filled = column.notna().to_numpy()
    share = filled.mean()
    known = outcome[filled]
    if not MIN_PATTERN_SHARE <= share <= 1 - MIN_PATTERN_SHARE:
        return None
    if min(known.sum(), (~known).sum()) < MIN_PATTERN_ROWS:
        return None
    auc = single_column_auc(column[filled], known, seed=seed)
    if threshold > auc > 1 - threshold:
        return None
    why = f"where filled in ({share:.0%} of rows) it ranks the outcomes with ROC AUC {auc:.2f}"
    return round(auc, 4), why


def _presence_pattern(
    column: pd.Series, outcome: npt.NDArray[np.bool_]
) -> tuple[float, str] | None:
    """(positive share, why) when the filled or the missing rows are nearly all one outcome."""
    filled = column.notna().to_numpy()
    for rows, state in ((filled, "filled in"), (~filled, "missing")):
        count = int(rows.sum())
        if count < max(MIN_PATTERN_ROWS, MIN_PATTERN_SHARE * len(rows)) or count == len(rows):
            continue
        rate = float(outcome[rows].mean())
        other = float(outcome[~rows].mean())
        if rate >= PURITY and other < PURITY - 0.2:
            return rate, f"{state} almost only when the outcome is positive ({rate:.0%} of {count})"
        if rate <= 1 - PURITY and other > 1 - PURITY + 0.2:
            return (
                rate,
                f"{state} almost only when the outcome is negative ({1 - rate:.0%} of {count})",
            )
    return None
