"""Pairwise precision, recall and F1 of a grouping against the true entities."""

from __future__ import annotations

import numpy as np
import pandas as pd


def pair_count(groups: pd.Series) -> int:
    """Pairs of records that share a group."""
    sizes = groups.value_counts().to_numpy(dtype=np.int64)
    return int((sizes * (sizes - 1) // 2).sum())


def pairwise_scores(predicted: pd.Series, truth: pd.Series) -> dict[str, float]:
    """Precision, recall and F1 over record pairs: a pair is predicted when both records
    share a predicted group, true when they share a true entity. Both series are indexed
    by record id."""
    joined = pd.DataFrame({"predicted": predicted, "truth": truth.reindex(predicted.index)})
    both = joined.groupby(["predicted", "truth"], dropna=True).size().to_numpy(np.int64)
    agreed = int((both * (both - 1) // 2).sum())
    declared = pair_count(joined["predicted"])
    true = pair_count(joined["truth"].dropna())
    precision = agreed / declared if declared else 1.0
    recall = agreed / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}
