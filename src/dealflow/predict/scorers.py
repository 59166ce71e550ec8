"""The two kinds of scorer a workspace can run, behind one face: the learned model and the
point rules. Each predicts calibrated probabilities, explains them, and round-trips as bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from dealflow.models import PredictiveModel
from dealflow.predict.baselines import (
    LogisticBaseline,
    NaiveBayesBaseline,
    PointRule,
    RulesScorer,
)
from dealflow.predict.metrics import classification_metrics
from dealflow.predict.model import TrainedScorer, train_scorer
from dealflow.predict.outcomes import TrainingRows
from dealflow.predict.phrases import Phrase
from dealflow.predict.reasons import explain


class Probabilities(Protocol):
    def predict_proba(self, features: pd.DataFrame) -> npt.NDArray[np.float64]: ...


class Scorer(Protocol):
    method: str

    def predict_proba(self, features: pd.DataFrame) -> npt.NDArray[np.float64]: ...

    def reasons(
        self, features: pd.DataFrame, phrases: dict[str, Phrase], *, top: int
    ) -> list[list[dict[str, Any]]]: ...

    @property
    def calibration_table(self) -> list[dict[str, float]]: ...

    def to_bytes(self) -> bytes: ...


@dataclass
class LearnedScorer:
    """The LightGBM model, calibrated, explained by its own feature contributions."""

    model: TrainedScorer
    method: str = "lightgbm"

    def predict_proba(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        return self.model.predict_proba(features)

    def reasons(
        self, features: pd.DataFrame, phrases: dict[str, Phrase], *, top: int
    ) -> list[list[dict[str, Any]]]:
        return [
            [_reason(r.feature, r.value, r.contribution, r.text) for r in row]
            for row in explain(self.model, features, phrases=phrases, top_k=top)
        ]

    @property
    def calibration_table(self) -> list[dict[str, float]]:
        return list(self.model.calibration_table)

    def to_bytes(self) -> bytes:
        return self.model.to_bytes()


@dataclass
class RulesFallback:
    """Point rules, their points mapped to probabilities on the workspace's own outcomes."""

    rules: RulesScorer
    method: str = "rules"

    def predict_proba(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        return self.rules.predict_proba(features)

    def reasons(
        self, features: pd.DataFrame, phrases: dict[str, Phrase], *, top: int
    ) -> list[list[dict[str, Any]]]:
        return [
            [_reason(rule.feature, value, rule.points, rule.label) for rule, value in fired[:top]]
            for fired in self.rules.fired(features)
        ]

    @property
    def calibration_table(self) -> list[dict[str, float]]:
        return []

    def to_bytes(self) -> bytes:
        return json.dumps(self.rules.to_document()).encode()


def plain_value(value: Any) -> Any:
    """A feature value as a reason stores it (JSON): None for NaN, Python numbers."""
    if isinstance(value, float) and np.isnan(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _reason(feature: str, value: Any, impact: float, text: str) -> dict[str, Any]:
    return {
        "text": text,
        "feature": feature,
        "value": plain_value(value),
        "impact": round(float(impact), 4),
    }


def compare_on_holdout(
    rules: Sequence[PointRule],
    train_features: pd.DataFrame,
    train_rows: TrainingRows,
    test_features: pd.DataFrame,
    test_rows: TrainingRows,
    *,
    seed: int,
    excluded: Sequence[str] = (),
) -> dict[str, dict[str, float]]:
    """Holdout metrics of the model and of each baseline, all trained on the same rows; the
    ``excluded`` columns (suspected leaks) are kept from all but the hand-written rules."""
    y_train, y_test = train_rows.outcome, test_rows.outcome
    learn_from = train_features.drop(columns=list(excluded))
    candidates: dict[str, Probabilities] = {
        "model": train_scorer(learn_from, y_train, order=train_rows.as_of, seed=seed),
        "rules": RulesScorer(rules).fit(train_features, y_train),
        "naive_bayes": NaiveBayesBaseline().fit(learn_from, y_train),
        "logistic": LogisticBaseline().fit(learn_from, y_train),
    }
    return {
        name: classification_metrics(y_test, scorer.predict_proba(test_features))
        for name, scorer in candidates.items()
    }


def fit_final(
    rules: Sequence[PointRule],
    features: pd.DataFrame,
    rows: TrainingRows,
    *,
    use_model: bool,
    seed: int,
    excluded: Sequence[str] = (),
) -> Scorer:
    """The scorer that goes live, trained on all the history (the model without the
    ``excluded`` columns)."""
    if use_model:
        learn_from = features.drop(columns=list(excluded))
        return LearnedScorer(train_scorer(learn_from, rows.outcome, order=rows.as_of, seed=seed))
    return RulesFallback(RulesScorer(rules).fit(features, rows.outcome))


def load_scorer(model: PredictiveModel) -> Scorer:
    """The scorer a registered model version stored."""
    if model.artefact is None:
        raise ValueError(f"{model.target}-v{model.version} has no stored scorer")
    if model.method == "rules":
        return RulesFallback(RulesScorer.from_document(json.loads(model.artefact)))
    return LearnedScorer(TrainedScorer.from_bytes(model.artefact))
