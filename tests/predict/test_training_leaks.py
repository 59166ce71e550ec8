"""The CRM training path keeps suspected leaks away from the learned scorers."""

from __future__ import annotations

import numpy as np

from dealflow.predict.baselines import DEFAULT_LEAD_RULES
from dealflow.predict.leakage import find_leaks
from dealflow.predict.outcomes import TrainingRows
from dealflow.predict.scorers import LearnedScorer, compare_on_holdout, fit_final
from tests.predict.generated import leads_frame


def test_a_leak_found_in_training_rows_is_not_learned_from() -> None:
    features, converted = leads_frame(1500, seed=8)
    features["won_flag"] = converted.astype(float)  # known only once the outcome is
    ids = np.arange(len(converted), dtype=np.int64)
    rows = TrainingRows(ids, ids * 60, ids * 60 + 30, converted)
    leaks = find_leaks(features, converted)
    assert [leak.column for leak in leaks] == ["won_flag"]
    train, test = rows.take(ids < 1000), rows.take(ids >= 1000)
    metrics = compare_on_holdout(
        DEFAULT_LEAD_RULES,
        features.iloc[:1000],
        train,
        features.iloc[1000:],
        test,
        seed=0,
        excluded=["won_flag"],
    )
    assert 0.6 < metrics["model"]["auc"] < 0.95
    assert metrics["logistic"]["auc"] < 0.95
    scorer = fit_final(
        DEFAULT_LEAD_RULES, features, rows, use_model=True, seed=0, excluded=["won_flag"]
    )
    assert isinstance(scorer, LearnedScorer)
    assert "won_flag" not in scorer.model.feature_names
    assert len(scorer.predict_proba(features)) == len(features)
