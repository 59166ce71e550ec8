"""Per-record reasons from the model's own feature contributions, in words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from dealflow.predict.model import TrainedScorer
from dealflow.predict.phrases import ENGLISH, Phrase


@dataclass(frozen=True)
class Reason:
    feature: str
    value: Any
    contribution: float
    """Push on the log-odds: positive raises the score."""
    text: str


def explain(
    model: TrainedScorer,
    features: pd.DataFrame,
    *,
    phrases: Mapping[str, Phrase] | None = None,
    top_k: int = 3,
) -> list[list[Reason]]:
    """The ``top_k`` strongest contributions of each row, strongest first, as sentences."""
    contributions = model.contributions(features)
    names = model.feature_names
    values = [features[name].to_numpy() for name in names]
    book = phrases or {}
    strongest = np.argsort(-np.abs(contributions), axis=1, kind="stable")[:, :top_k]
    pushes = np.take_along_axis(contributions, strongest, axis=1).tolist()
    explained = []
    for row, (columns, row_pushes) in enumerate(zip(strongest.tolist(), pushes, strict=True)):
        reasons = []
        for column, push in zip(columns, row_pushes, strict=True):
            if push == 0.0:
                continue
            name = names[column]
            value = values[column][row]
            phrase = book.get(name)
            text = phrase(value, push, ENGLISH) if phrase else _generic(name, value)
            reasons.append(Reason(name, value, push, text))
        explained.append(reasons)
    return explained


def _generic(name: str, value: Any) -> str:
    label = name.replace("_", " ").strip().capitalize()
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return f"{label} unknown"
    if isinstance(value, (int, float, np.number)):
        return f"{label}: {float(value):,.4g}"
    return f"{label} is {value}"
