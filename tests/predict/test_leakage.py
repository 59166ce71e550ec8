"""The leakage guard flags columns that give the outcome away, and only those."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dealflow.predict.leakage import find_leaks
from tests.predict.generated import leads_frame


def test_ordinary_strong_predictors_are_not_flagged() -> None:
    features, converted = leads_frame(3000, seed=1, signal=1.5)
    assert find_leaks(features, converted) == []


def test_a_status_set_after_the_outcome_is_flagged() -> None:
    features, converted = leads_frame(3000, seed=2)
    rng = np.random.default_rng(2)
    noisy = np.where(rng.random(len(converted)) < 0.05, ~converted, converted)
    features["Status"] = np.where(noisy, "closed - enrolled", "closed - not interested")
    leaks = find_leaks(features, converted)
    assert [leak.column for leak in leaks] == ["Status"]
    assert leaks[0].score >= 0.9
    assert "ROC AUC" in leaks[0].why


def test_a_field_filled_only_for_converted_leads_is_flagged() -> None:
    features, converted = leads_frame(3000, seed=3)
    rng = np.random.default_rng(3)
    filled = converted & (rng.random(len(converted)) < 0.3)
    features["Invoice Amount"] = np.where(filled, rng.normal(500, 50, len(filled)), np.nan)
    leaks = find_leaks(features, converted)
    assert [leak.column for leak in leaks] == ["Invoice Amount"]
    assert "almost only when the outcome is positive" in leaks[0].why


def test_a_grade_set_by_sales_on_some_leads_is_flagged_where_filled() -> None:
    features, converted = leads_frame(3000, seed=4)
    rng = np.random.default_rng(4)
    graded = rng.random(len(converted)) < 0.4
    grade = np.where(converted ^ (rng.random(len(converted)) < 0.08), "high", "low")
    features["Quality Grade"] = pd.Series(np.where(graded, grade, None), dtype=object)
    leaks = find_leaks(features, converted)
    assert [leak.column for leak in leaks] == ["Quality Grade"]
    assert "where filled in" in leaks[0].why
