"""Training on a workspace's history, the readiness switch, and scores kept on the records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from dealflow.core.clock import FrozenClock
from dealflow.core.dialect import dialect_of
from dealflow.crm.workspaces import get_workspace
from dealflow.demo import build_demo
from dealflow.models import Contact, Deal, Prediction, PropertyChange, Workspace
from dealflow.predict.contact_features import contact_features, read_contact_facts
from dealflow.predict.registry import active_model
from dealflow.predict.scorers import load_scorer
from dealflow.predict.scoring import TARGETS, features_frame, scorable_ids, score
from dealflow.predict.timeline import epoch_of
from dealflow.predict.training import train
from tests import backends
from tests.factories import make_contact

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@dataclass
class Scored:
    session: Session
    workspace_id: int
    leads: object
    deals: object


@pytest.fixture(scope="module")
def scored(
    tmp_path_factory: pytest.TempPathFactory, database_template: Path | None
) -> Iterator[Scored]:
    """A demo big enough for learned models (scale 0.3), trained and scored once."""
    with backends.fresh_database(tmp_path_factory.mktemp("scoring"), database_template) as url:
        engine = backends.engine_for(url)
        try:
            with Session(engine) as session:
                build_demo(session, slug="scoring", scale=0.3, today=TODAY)
                workspace_id = get_workspace(session, "scoring").id
                leads = train(session, workspace_id, "leads", now=NOW)
                deals = train(session, workspace_id, "deals", now=NOW)
                score(session, workspace_id, "leads", now=NOW)
                score(session, workspace_id, "deals", now=NOW)
                session.commit()
                yield Scored(session, workspace_id, leads, deals)
        finally:
            engine.dispose()


def test_the_demo_signal_is_recovered_well_above_the_baselines(scored: Scored) -> None:
    for report in (scored.leads, scored.deals):
        metrics = report.metrics
        assert report.readiness.use_model, report.readiness.explanation
        assert report.model.method == "lightgbm"
        for baseline in ("rules", "naive_bayes"):
            assert metrics["model"]["auc"] > metrics[baseline]["auc"] + 0.05, (baseline, metrics)
        # the demo's truth is close to logistic, so a logistic model is a peer, not a loser
        assert metrics["model"]["auc"] > metrics["logistic"]["auc"] - 0.02, metrics
        assert metrics["model"]["ece"] < 0.08, metrics  # a few hundred later deals: noisy


def test_the_leakage_guard_ran_and_left_the_point_in_time_features_alone(scored: Scored) -> None:
    for report in (scored.leads, scored.deals):
        assert report.excluded_leaks == []
        assert report.model.metrics["excluded_leaks"] == []


def test_open_records_carry_score_band_reasons_and_model(scored: Scored) -> None:
    session = scored.session
    leads = session.scalars(
        select(Contact).where(Contact.id.in_(scorable_ids(session, scored.workspace_id, "leads")))
    ).all()
    assert leads
    for contact in leads:
        assert 0 <= contact.score <= 100
        assert contact.score_band in {"A", "B", "C", "D"}
        assert contact.score_model == "leads-v1 (lightgbm)"
        assert 1 <= len(contact.score_reasons) <= 3
        assert all(reason["text"] for reason in contact.score_reasons)
    bands = {contact.score_band for contact in leads}
    assert {"A", "D"} <= bands and len(bands) >= 3  # tied probabilities may merge a band
    a_scores = [c.score for c in leads if c.score_band == "A"]
    d_scores = [c.score for c in leads if c.score_band == "D"]
    assert min(a_scores) >= max(d_scores)
    deals = session.scalars(
        select(Deal).where(Deal.id.in_(scorable_ids(session, scored.workspace_id, "deals")))
    ).all()
    assert deals and all(deal.win_probability is not None and deal.win_reasons for deal in deals)


def test_reasons_agree_with_the_models_contributions(scored: Scored) -> None:
    session = scored.session
    model = active_model(session, scored.workspace_id, "leads")
    scorer = load_scorer(model)
    ids = np.array(scorable_ids(session, scored.workspace_id, "leads")[:50])
    features = features_frame(
        session, scored.workspace_id, "leads", ids, np.full(len(ids), int(NOW.timestamp()))
    )
    contributions = scorer.model.contributions(features)  # type: ignore[attr-defined]
    columns = list(scorer.model.feature_names)  # type: ignore[attr-defined]
    reasons = scorer.reasons(features, TARGETS["leads"].phrases, top=3)
    for row, row_reasons in enumerate(reasons):
        for reason in row_reasons:
            contribution = contributions[row, columns.index(reason["feature"])]
            assert np.sign(reason["impact"]) == np.sign(contribution)


def test_scoring_logs_predictions_and_keeps_band_changes_in_history(scored: Scored) -> None:
    session = scored.session
    logged = session.scalar(
        select(func.count()).where(
            Prediction.workspace_id == scored.workspace_id, Prediction.object_type == "contacts"
        )
    )
    assert logged == len(scorable_ids(session, scored.workspace_id, "leads"))
    band_history = session.scalar(
        select(func.count()).where(
            PropertyChange.workspace_id == scored.workspace_id,
            PropertyChange.property == "score_band",
        )
    )
    assert band_history == logged  # the first run gives every lead its first band

    again = score(session, scored.workspace_id, "leads", now=NOW)

    assert again.band_changes == 0  # nothing changed, so no band moved
    session.rollback()


def test_training_is_deterministic(scored: Scored) -> None:
    session = scored.session
    first = load_scorer(active_model(session, scored.workspace_id, "deals"))
    ids = np.array(scorable_ids(session, scored.workspace_id, "deals"))
    at = np.full(len(ids), int(NOW.timestamp()))
    features = features_frame(session, scored.workspace_id, "deals", ids, at)

    train(session, scored.workspace_id, "deals", now=NOW)
    second = load_scorer(active_model(session, scored.workspace_id, "deals"))

    assert np.array_equal(first.predict_proba(features), second.predict_proba(features))
    session.rollback()


class TestReadiness:
    def test_thin_history_scores_with_rules_and_says_how_far_from_ready(
        self, session: Session, workspace: Workspace, frozen_clock: FrozenClock
    ) -> None:
        for _ in range(5):
            make_contact(session, workspace)

        report = train(session, workspace.id, "leads", now=NOW)

        assert report.model.method == "rules"
        assert not report.readiness.use_model
        assert "needs 120 more conversions" in report.readiness.explanation
        result = score(session, workspace.id, "leads", now=NOW)
        assert result.scored == 5 and result.model == "leads-v1 (rules)"


@pytest.mark.parametrize("days_before", [0, 200])
def test_scoring_reads_less_but_computes_the_same_features_as_training(
    scored: Scored, days_before: int
) -> None:
    """Scoring at one moment skips old behaviour and history; the features must not move."""
    session, workspace_id = scored.session, scored.workspace_id
    ids = np.array(
        session.scalars(select(Contact.id).where(Contact.workspace_id == workspace_id)).all()
    )
    moment = NOW - timedelta(days=days_before)
    at = np.full(len(ids), epoch_of(moment), dtype=np.int64)

    full = contact_features(read_contact_facts(session, workspace_id), ids, at)
    light = features_frame(session, workspace_id, "leads", ids, at)

    pd.testing.assert_frame_equal(light, full)


@pytest.mark.parametrize("days_before", [0, 45])
def test_features_read_aside_are_the_ones_the_session_reads(
    scored: Scored, days_before: int
) -> None:
    """A transaction that has only read lets scoring's reads overlap on other connections;
    one that wrote reads in itself. Both give the same features."""
    session, workspace_id = scored.session, scored.workspace_id
    session.rollback()
    ids = np.array(
        session.scalars(select(Contact.id).where(Contact.workspace_id == workspace_id)).all()
    )
    at = np.full(len(ids), epoch_of(NOW - timedelta(days=days_before)), dtype=np.int64)
    assert not dialect_of(session).wrote_in_transaction(session)
    aside = features_frame(session, workspace_id, "leads", ids, at)

    session.execute(update(Workspace).where(Workspace.id == workspace_id).values(name="Renamed"))
    assert dialect_of(session).wrote_in_transaction(session)
    in_session = features_frame(session, workspace_id, "leads", ids, at)
    session.rollback()

    pd.testing.assert_frame_equal(aside, in_session)
