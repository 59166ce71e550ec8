"""Baselines every evaluation reports the model against: Odoo-style naive Bayes, logistic
regression, and classic point rules (also the scorer while data is too thin for a model)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, StandardScaler

SMOOTHING = 0.1


class NaiveBayesBaseline:
    """Per-value won/lost frequencies of categorical fields, multiplied as independent
    evidence (as Odoo's predictive lead scoring does); values never seen are skipped."""

    def fit(self, features: pd.DataFrame, outcome: npt.ArrayLike) -> NaiveBayesBaseline:
        y = np.asarray(outcome, dtype=bool)
        self.columns_ = _text_columns(features)
        self.prior_ = float(y.mean())
        self.log_ratios_: dict[str, dict[str, float]] = {}
        won, lost = max(int(y.sum()), 1), max(int((~y).sum()), 1)
        for name in self.columns_:
            values = features[name].astype(object).fillna("(empty)").astype(str)
            counts = pd.crosstab(values, y)
            won_count = counts.get(True, pd.Series(0, index=counts.index))
            lost_count = counts.get(False, pd.Series(0, index=counts.index))
            ratio = np.log((won_count + SMOOTHING) / won) - np.log((lost_count + SMOOTHING) / lost)
            self.log_ratios_[name] = ratio.to_dict()
        return self

    def predict_proba(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        log_odds = np.full(len(features), np.log(self.prior_ / (1 - self.prior_)))
        for name in self.columns_:
            values = features[name].astype(object).fillna("(empty)").astype(str)
            log_odds += values.map(self.log_ratios_[name]).fillna(0.0).to_numpy(np.float64)
        return 1.0 / (1.0 + np.exp(-log_odds))


class LogisticBaseline:
    """Logistic regression: one-hot text, scaled numbers with missing-value indicators."""

    def fit(self, features: pd.DataFrame, outcome: npt.ArrayLike) -> LogisticBaseline:
        text = _text_columns(features)
        numeric = [name for name in features.columns if name not in text]
        encode = ColumnTransformer(
            [
                (
                    "text",
                    make_pipeline(
                        FunctionTransformer(_as_text, feature_names_out="one-to-one"),
                        OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=10),
                    ),
                    text,
                ),
                (
                    "numbers",
                    make_pipeline(
                        FunctionTransformer(_signed_log, feature_names_out="one-to-one"),
                        SimpleImputer(strategy="median", add_indicator=True),
                        StandardScaler(),
                    ),
                    numeric,
                ),
            ]
        )
        self.pipeline_ = Pipeline(
            [("encode", encode), ("model", LogisticRegression(C=0.5, max_iter=2000))]
        ).fit(features, np.asarray(outcome, dtype=bool))
        return self

    def predict_proba(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        return np.asarray(self.pipeline_.predict_proba(features)[:, 1], dtype=np.float64)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).fillna("(empty)").astype(str)


def _signed_log(frame: pd.DataFrame) -> npt.NDArray[np.float64]:
    values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(np.float64)
    return np.sign(values) * np.log1p(np.abs(values))


def _text_columns(features: pd.DataFrame) -> list[str]:
    return [name for name in features.columns if not pd.api.types.is_numeric_dtype(features[name])]


# Point rules ----------------------------------------------------------------------------------

OPERATORS = ("eq", "in", "gte", "lte", "is_known")


@dataclass(frozen=True)
class PointRule:
    """``points`` when ``feature`` satisfies ``op`` ``value``; ``label`` says it in words."""

    feature: str
    op: str
    value: Any
    points: float
    label: str

    def matches(self, column: pd.Series) -> npt.NDArray[np.bool_]:
        if self.op == "is_known":
            return column.notna().to_numpy() == bool(self.value)
        if self.op in ("eq", "in"):
            wanted = self.value if self.op == "in" else [self.value]
            return column.isin(wanted).to_numpy()
        numbers = pd.to_numeric(column, errors="coerce").to_numpy(np.float64)
        with np.errstate(invalid="ignore"):
            return numbers >= self.value if self.op == "gte" else numbers <= self.value


class RulesScorer:
    """Points added up per record; a logistic map turns points into probabilities, fitted on
    the workspace's outcomes when there are some of each, a fixed one otherwise."""

    def __init__(self, rules: Sequence[PointRule], mapping: tuple[float, float] = (0.05, -3.0)):
        for index, rule in enumerate(rules):
            if rule.op not in OPERATORS:
                raise ValueError(
                    f"rule {index + 1} ({rule.label!r}): unknown op {rule.op!r}; "
                    f"use one of {', '.join(OPERATORS)}"
                )
        self.rules = list(rules)
        self.mapping = mapping

    def points(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        total = np.zeros(len(features))
        for rule in self.rules:
            if rule.feature in features.columns:
                total += np.where(rule.matches(features[rule.feature]), rule.points, 0.0)
        return total

    def fit(self, features: pd.DataFrame, outcome: npt.ArrayLike) -> RulesScorer:
        y = np.asarray(outcome, dtype=bool)
        if y.any() and not y.all():
            regression = LogisticRegression(C=1e6).fit(self.points(features)[:, None], y)
            self.mapping = (float(regression.coef_[0, 0]), float(regression.intercept_[0]))
        return self

    def predict_proba(self, features: pd.DataFrame) -> npt.NDArray[np.float64]:
        slope, intercept = self.mapping
        return 1.0 / (1.0 + np.exp(-(slope * self.points(features) + intercept)))

    def fired(self, features: pd.DataFrame) -> list[list[tuple[PointRule, Any]]]:
        """The rules that gave each record points, biggest effect first, with the value."""
        hits: list[list[tuple[PointRule, Any]]] = [[] for _ in range(len(features))]
        for rule in sorted(self.rules, key=lambda r: -abs(r.points)):
            if rule.feature not in features.columns:
                continue
            column = features[rule.feature]
            for row in np.flatnonzero(rule.matches(column)):
                hits[row].append((rule, column.iloc[row]))
        return hits

    def to_document(self) -> dict[str, Any]:
        return {"rules": [asdict(rule) for rule in self.rules], "mapping": list(self.mapping)}

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> RulesScorer:
        rules = []
        for index, rule in enumerate(document.get("rules", [])):
            try:
                rules.append(PointRule(**rule))
            except TypeError as error:
                raise ValueError(f"rule {index + 1}: {error}") from None
        slope, intercept = document.get("mapping", (0.05, -3.0))
        return cls(rules, (float(slope), float(intercept)))


DEFAULT_LEAD_RULES = (
    PointRule("email_domain_kind", "eq", "corporate", 10, "Uses a company email address"),
    PointRule("email_domain_kind", "eq", "free", -5, "Uses a personal email address"),
    PointRule("seniority", "in", ["executive", "director"], 10, "Senior decision maker"),
    PointRule("seniority", "eq", "manager", 5, "Manager"),
    PointRule("company_employees", "gte", 200, 10, "Company of 200+ employees"),
    PointRule("page_views_30d", "gte", 5, 10, "5+ website visits in 30 days"),
    PointRule("pricing_views_30d", "gte", 1, 15, "Looked at pricing in the last 30 days"),
    PointRule("pricing_views_7d", "gte", 2, 10, "Looked at pricing twice this week"),
    PointRule("forms_90d", "gte", 1, 15, "Filled in a form in the last 90 days"),
    PointRule("email_replies_30d", "gte", 1, 20, "Replied in the last 30 days"),
    PointRule("email_clicks_30d", "gte", 1, 5, "Clicked an email in the last 30 days"),
    PointRule("events_90d", "gte", 1, 10, "Attended an event or webinar"),
    PointRule("meetings_total", "gte", 1, 15, "Has met the team"),
    PointRule("lifecycle_stage", "in", ["sql", "opportunity"], 15, "Sales-qualified"),
    PointRule("days_since_last_engagement", "gte", 30, -10, "Quiet for 30+ days"),
    PointRule("days_since_last_engagement", "gte", 90, -15, "Quiet for 90+ days"),
)
DEFAULT_DEAL_RULES = (
    PointRule("stage_probability", "gte", 0.4, 20, "Late stage"),
    PointRule("stage_probability", "gte", 0.6, 15, "In final negotiation"),
    PointRule("meetings_total", "gte", 1, 10, "Meetings held"),
    PointRule("contacts_count", "gte", 2, 10, "Several people involved"),
    PointRule("activities_30d", "gte", 3, 10, "Active in the last 30 days"),
    PointRule("days_since_last_activity", "gte", 21, -15, "No activity for 3+ weeks"),
    PointRule("days_to_close_date", "lte", -1, -10, "Close date has passed"),
    PointRule("owner_win_rate", "gte", 0.4, 5, "Owner with a strong win rate"),
)
