"""The learned scorer: LightGBM blended with an additive logistic model, calibrated,
explained by contributions.

Training first predicts every row from models that never saw it: five stratified folds, or,
given a time order, the latest fifth of the rows from models trained on the rest. In each
fold the booster learns with early stopping on the held-back rows, and the additive model
(``additive.py``) learns too. On those out-of-fold predictions the blend is chosen (an even mix
of the two models' log-odds unless another share ranks clearly better) and the calibration
fitted (Platt, or isotonic when it has a clearly lower Brier score under two-fold
cross-fitting), so probabilities are honest on data neither model saw. Both models are then
refitted on all the rows (the booster for a fifth more rounds than early stopping chose on
average), and the calibration carries over.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedKFold, train_test_split

from dealflow.predict.additive import AdditiveLogit
from dealflow.predict.metrics import classification_metrics

FORMAT = "dealflow-lightgbm/1"
PARAMS: dict[str, Any] = {
    "objective": "binary",
    "learning_rate": 0.06,
    "num_leaves": 15,
    "min_data_in_leaf": 40,
    "feature_fraction": 0.7,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 5.0,
    "cat_smooth": 20.0,
    "min_data_per_group": 50,
    "verbosity": -1,
    "num_threads": 1,  # small training sets: a second thread mostly waits (badly on a busy box)
    "deterministic": True,
    "force_row_wise": True,
}
MAX_ROUNDS = 1000
HOLDOUT_SHARE = 0.2
INNER_FOLDS = 5
REFIT_ROUNDS = 1.2  # more rows to learn from: a few more rounds than early stopping chose
BLEND_WEIGHTS = (1.0, 0.75, 0.5, 0.25, 0.0)  # the booster's share of the log-odds
EVEN_BLEND = 0.5
CLEAR_GAIN = 0.005  # ROC AUC on the held-back rows
SMOOTH_PREFERENCE = 0.995  # isotonic must cut the Brier score by more than 0.5% to be chosen


@dataclass
class Calibrator:
    """Maps the booster's raw probability to a calibrated one."""

    method: str
    params: dict[str, list[float]]

    def apply(self, raw: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        if self.method == "platt":
            a, b = self.params["coef"]
            return 1.0 / (1.0 + np.exp(-(a * _logit(raw) + b)))
        return np.interp(raw, self.params["x"], self.params["y"])


@dataclass
class TrainedScorer:
    """A fitted LightGBM booster with its categories, calibrator and validation record."""

    booster: lgb.Booster
    feature_names: list[str]
    categories: dict[str, list[str]]
    calibrator: Calibrator
    calibration_table: list[dict[str, float]] = field(default_factory=list)
    validation_metrics: dict[str, float] = field(default_factory=dict)
    additive: AdditiveLogit | None = None
    blend: float = 1.0
    """The booster's share of the log-odds; the additive model has the rest."""

    def predict_proba(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Calibrated probability of the positive outcome for each row."""
        raw = self.booster.predict(self._matrix(features), raw_score=True, num_threads=2)
        log_odds = np.asarray(raw, dtype=np.float64)
        if self.additive is not None and self.blend < 1.0:
            log_odds = mix(log_odds, self.additive.decision_function(features), self.blend)
        return self.calibrator.apply(_sigmoid(log_odds))

    def contributions(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        """Each feature's push on each row's log-odds (the bias term left out)."""
        values = self.booster.predict(self._matrix(features), pred_contrib=True, num_threads=2)
        pushes = np.asarray(values)[:, :-1]
        if self.additive is not None and self.blend < 1.0:
            pushes = mix(
                pushes, self.additive.contributions(features[self.feature_names]), self.blend
            )
        return pushes

    def _matrix(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        missing = [name for name in self.feature_names if name not in features.columns]
        if missing:
            raise ValueError(f"features missing for scoring: {', '.join(missing)}")
        return encoded_matrix(features[self.feature_names], self.categories)

    def to_bytes(self) -> bytes:
        """JSON (no pickle): the booster's text model plus everything around it."""
        document = {
            "format": FORMAT,
            "booster": self.booster.model_to_string(),
            "feature_names": self.feature_names,
            "categories": self.categories,
            "calibrator": {"method": self.calibrator.method, "params": self.calibrator.params},
            "calibration_table": self.calibration_table,
            "validation_metrics": self.validation_metrics,
            "additive": self.additive.to_document() if self.additive else None,
            "blend": self.blend,
        }
        return json.dumps(document).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> TrainedScorer:
        document = json.loads(data)
        additive = document.get("additive")
        if document.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model (format {document.get('format')!r})")
        return cls(
            booster=lgb.Booster(model_str=document["booster"]),
            feature_names=document["feature_names"],
            categories=document["categories"],
            calibrator=Calibrator(**document["calibrator"]),
            calibration_table=document["calibration_table"],
            validation_metrics=document["validation_metrics"],
            additive=AdditiveLogit.from_document(additive) if additive else None,
            blend=float(document.get("blend", 1.0)),
        )


def train_scorer(
    features: pd.DataFrame,
    outcome: npt.ArrayLike,
    *,
    order: npt.ArrayLike | None = None,
    seed: int = 0,
) -> TrainedScorer:
    """Fit, early-stop and calibrate a LightGBM scorer (deterministic for a seed)."""
    y = np.asarray(outcome, dtype=bool)
    if y.all() or not y.any():
        raise ValueError("training needs both outcomes among the rows")
    categories = learn_categories(features)
    matrix = encode(features, categories)
    params = {**PARAMS, "seed": seed}
    folds = _validation_folds(y, order, seed)
    held_rows = np.concatenate([held for _, held in folds])
    held_booster, held_additive = np.zeros(len(y)), np.zeros(len(y))
    best_rounds = []
    for fit_rows, held in folds:
        train_set = lgb.Dataset(matrix.iloc[fit_rows], y[fit_rows], free_raw_data=False)
        valid_set = lgb.Dataset(matrix.iloc[held], y[held], reference=train_set)
        booster = lgb.train(
            params,
            train_set,
            num_boost_round=MAX_ROUNDS,
            valid_sets=[valid_set],
            callbacks=[lgb.early_stopping(50, verbose=False)],
        )
        best_rounds.append(max(booster.best_iteration, 1))
        held_booster[held] = booster.predict(matrix.iloc[held], raw_score=True)
        additive = AdditiveLogit().fit(features.iloc[fit_rows], y[fit_rows])
        held_additive[held] = additive.decision_function(features.iloc[held])
    held_booster, held_additive = held_booster[held_rows], held_additive[held_rows]
    blend = choose_blend(held_booster, held_additive, y[held_rows])
    raw = _sigmoid(mix(held_booster, held_additive, blend))
    calibrator = choose_calibrator(raw, y[held_rows], seed)
    calibrated = calibrator.apply(raw)
    rounds = int(np.ceil(np.mean(best_rounds) * REFIT_ROUNDS))
    return TrainedScorer(
        booster=lgb.train(params, lgb.Dataset(matrix, y), num_boost_round=rounds),
        feature_names=list(features.columns),
        categories=categories,
        calibrator=calibrator,
        calibration_table=calibration_table(y[held_rows], calibrated),
        validation_metrics=classification_metrics(y[held_rows], calibrated),
        additive=AdditiveLogit().fit(features, y) if blend < 1.0 else None,
        blend=blend,
    )


def choose_blend(
    booster: npt.NDArray[np.float64],
    additive: npt.NDArray[np.float64],
    outcome: npt.NDArray[np.bool_],
) -> float:
    """The booster's share of the log-odds: an even mix unless another share ranks the
    held-back rows clearly better (the booster stopped early on them, which flatters it)."""
    scores = {w: roc_auc_score(outcome, mix(booster, additive, w)) for w in BLEND_WEIGHTS}
    best = max(BLEND_WEIGHTS, key=lambda weight: (scores[weight], weight))
    return best if scores[best] - scores[EVEN_BLEND] > CLEAR_GAIN else EVEN_BLEND


def mix(
    booster: npt.NDArray[np.float64], additive: npt.NDArray[np.float64], weight: float
) -> npt.NDArray[np.float64]:
    """The booster's log-odds (or pushes) weighted ``weight``, the additive model's the rest."""
    return np.asarray(weight * booster + (1.0 - weight) * additive)


def learn_categories(features: pd.DataFrame) -> dict[str, list[str]]:
    """The values seen in each text column, which fix its category codes for good."""
    return {
        name: sorted(features[name].dropna().astype(str).unique().tolist())
        for name in features.columns
        if not pd.api.types.is_numeric_dtype(features[name])
    }


def encode(features: pd.DataFrame, categories: dict[str, list[str]]) -> pd.DataFrame:
    """Numbers as float, text as categories with fixed codes; unseen values become missing;
    columns named as the booster knows them."""
    columns = {}
    for name in features.columns:
        if name in categories:
            columns[name] = _categorical(features[name], categories[name])
        else:
            columns[name] = pd.to_numeric(features[name], errors="coerce").astype(float)
    frame = pd.DataFrame(columns, index=features.index)
    frame.columns = booster_names(list(features.columns))
    return frame


def encoded_matrix(
    features: pd.DataFrame, categories: dict[str, list[str]]
) -> npt.NDArray[np.float64]:
    """``encode``'s values as the one float matrix LightGBM makes of that frame before it
    predicts (category codes as numbers, NaN where missing or unseen; column-major, as
    pandas hands it over), built column by column without the frame's conversions."""
    matrix = np.empty((len(features.columns), len(features)), dtype=np.float64)
    for row, name in enumerate(features.columns):
        if name in categories:
            codes = _category_codes(features[name], categories[name])
            matrix[row] = np.where(codes < 0, np.nan, codes)
        else:
            matrix[row] = pd.to_numeric(features[name], errors="coerce")
    return matrix.T


def _categorical(values: pd.Series, categories: list[str]) -> pd.Categorical:
    """Values as text with the fixed categories."""
    return pd.Categorical.from_codes(_category_codes(values, categories), categories=categories)


def _category_codes(values: pd.Series, categories: list[str]) -> npt.NDArray[np.intp]:
    """Each value's place among the categories as text (-1 where missing or unseen),
    converting each distinct value once."""
    codes, distinct = pd.factorize(values.astype(object), use_na_sentinel=True)
    known = pd.Index(categories, dtype=object).get_indexer([str(value) for value in distinct])
    positions = np.append(known, -1)  # the missing code -1 picks the -1 appended last
    return np.asarray(positions[codes])


def booster_names(names: list[str]) -> list[str]:
    """Column names LightGBM accepts (no JSON punctuation), still distinct."""
    cleaned = [re.sub(r'[",:\[\]{}]', "_", name) for name in names]
    if len(set(cleaned)) < len(cleaned):
        cleaned = [f"{index}_{name}" for index, name in enumerate(cleaned)]
    return cleaned


def choose_calibrator(
    raw: npt.NDArray[np.float64], outcome: npt.NDArray[np.bool_], seed: int
) -> Calibrator:
    """Platt (smooth, keeps the ranking) unless isotonic predicts held-out halves clearly
    better (lower Brier)."""
    first, second = train_test_split(
        np.arange(len(raw)), test_size=0.5, random_state=seed, stratify=_stratify(outcome)
    )
    scores = {}
    for method in ("platt", "isotonic"):
        error = 0.0
        for fit_part, test_part in ((first, second), (second, first)):
            calibrator = _fit_calibrator(method, raw[fit_part], outcome[fit_part])
            error += float(np.mean((calibrator.apply(raw[test_part]) - outcome[test_part]) ** 2))
        scores[method] = error
    best = "isotonic" if scores["isotonic"] < SMOOTH_PREFERENCE * scores["platt"] else "platt"
    return _fit_calibrator(best, raw, outcome)


def calibration_table(
    outcome: npt.NDArray[np.bool_], probability: npt.NDArray[np.float64], bins: int = 10
) -> list[dict[str, float]]:
    """Predicted against observed rates in equal-count bins of the probability."""
    order = np.argsort(probability, kind="stable")
    table = []
    for index, part in enumerate(np.array_split(order, bins)):
        if len(part):
            table.append(
                {
                    "bin": index + 1,
                    "mean_predicted": float(probability[part].mean()),
                    "observed_rate": float(outcome[part].mean()),
                    "count": len(part),
                }
            )
    return table


def _fit_calibrator(
    method: str, raw: npt.NDArray[np.float64], outcome: npt.NDArray[np.bool_]
) -> Calibrator:
    if method == "platt":
        regression = LogisticRegression(C=1e6).fit(_logit(raw)[:, None], outcome)
        coef = [float(regression.coef_[0, 0]), float(regression.intercept_[0])]
        return Calibrator("platt", {"coef": coef})
    isotonic = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(raw, outcome)
    return Calibrator(
        "isotonic",
        {"x": isotonic.X_thresholds_.tolist(), "y": isotonic.y_thresholds_.tolist()},
    )


def _validation_folds(
    outcome: npt.NDArray[np.bool_], order: npt.ArrayLike | None, seed: int
) -> list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]]:
    """(fit rows, held-back rows) pairs: the latest fifth by time when given (and it holds
    both outcomes), else stratified folds (one stratified fifth when there are too few rows
    of an outcome for folds)."""
    rows = np.arange(len(outcome))
    if order is not None:
        ranked = np.argsort(np.asarray(order), kind="stable")
        cut = int(len(rows) * (1 - HOLDOUT_SHARE))
        fit_rows, held_rows = np.sort(ranked[:cut]), np.sort(ranked[cut:])
        if outcome[held_rows].any() and not outcome[held_rows].all() and outcome[fit_rows].any():
            return [(fit_rows, held_rows)]
    if min(outcome.sum(), (~outcome).sum()) >= 2 * INNER_FOLDS:
        folds = StratifiedKFold(INNER_FOLDS, shuffle=True, random_state=seed)
        return [(np.asarray(a), np.asarray(b)) for a, b in folds.split(rows, outcome)]
    fit_rows, held_rows = train_test_split(
        rows, test_size=HOLDOUT_SHARE, random_state=seed, stratify=_stratify(outcome)
    )
    return [(np.sort(fit_rows), np.sort(held_rows))]


def _stratify(outcome: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_] | None:
    return outcome if min(outcome.sum(), (~outcome).sum()) >= 2 else None


def _sigmoid(log_odds: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    return np.asarray(1.0 / (1.0 + np.exp(-log_odds)))


def _logit(p: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(clipped / (1 - clipped))
