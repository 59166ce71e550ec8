"""The learned scorer: booster and additive model blended, calibrated, stored as JSON."""

from __future__ import annotations

import numpy as np

from dealflow.predict.additive import AdditiveLogit
from dealflow.predict.metrics import classification_metrics
from dealflow.predict.model import TrainedScorer, train_scorer
from tests.predict.generated import leads_frame


def test_a_smooth_signal_brings_in_the_additive_model_and_the_artefact_round_trips() -> None:
    features, converted = leads_frame(3000, seed=11)
    features = features.rename(columns={"Region": 'Region: "sales" [EU]'})  # JSON punctuation
    scorer = train_scorer(features.iloc[:2000], converted[:2000], seed=0)
    assert scorer.additive is not None and scorer.blend < 1.0  # the truth is additive here
    later = features.iloc[2000:]
    probability = scorer.predict_proba(later)
    assert classification_metrics(converted[2000:], probability)["auc"] > 0.7
    again = TrainedScorer.from_bytes(scorer.to_bytes())
    np.testing.assert_allclose(again.predict_proba(later), probability)
    np.testing.assert_allclose(again.contributions(later), scorer.contributions(later))


def test_additive_contributions_add_up_to_the_log_odds() -> None:
    features, converted = leads_frame(800, seed=12)
    features.loc[::7, "Company Employees"] = np.nan
    model = AdditiveLogit().fit(features, converted)
    pushes = model.contributions(features)
    assert pushes.shape == features.shape
    np.testing.assert_allclose(
        pushes.sum(axis=1) + model.intercept_, model.decision_function(features)
    )
    region = list(features.columns).index("Region")
    north = (features["Region"] == "north").to_numpy()
    assert pushes[north, region].mean() > pushes[~north, region].mean()  # the planted effect
    copy = AdditiveLogit.from_document(model.to_document())
    np.testing.assert_allclose(copy.decision_function(features), model.decision_function(features))


def test_calibration_is_fitted_on_every_row_out_of_fold_or_on_the_latest_fifth_by_time() -> None:
    features, converted = leads_frame(1000, seed=13)
    unordered = train_scorer(features, converted, seed=0)
    assert sum(row["count"] for row in unordered.calibration_table) == 1000
    by_time = train_scorer(features, converted, order=np.arange(1000.0), seed=0)
    assert sum(row["count"] for row in by_time.calibration_table) == 200
