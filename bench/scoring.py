"""Lead-scoring throughput: score N contacts from the database, features included.

Builds a demo workspace at a scale giving about N contacts (or reuses --database), trains the
lead scorer on its history, then times, in the same run:
- scoring end to end: read the store, compute point-in-time features, encode, predict and
  calibrate (no writes);
- bare prediction of the trained booster on the prebuilt, encoded matrix (the baseline);
- reasons: every row's feature contributions turned into sentences (separately: a rep sees
  reasons for the records on screen, and rescoring recomputes them only for changed scores);
- the whole ``score`` call: all of the above plus writing scores, reasons, band history and
  the prediction log.

    python bench/scoring.py [--contacts 100000] [--database sqlite:///bench-scoring.db]
                            [--repeat 3]

With ``--database`` the demo is built there on the first run and reused afterwards. Scoring
and the bare prediction are each timed ``--repeat`` times, back to back, and the fastest run
of each is reported (on a busy machine the slowest runs measure the neighbours); neither
writes, so every run sees the same rows.

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import select

from dealflow import db
from dealflow.core.clock import now
from dealflow.crm.workspaces import get_workspace
from dealflow.demo import build_demo
from dealflow.models import Contact, Workspace
from dealflow.predict.model import encode
from dealflow.predict.registry import active_model
from dealflow.predict.scorers import LearnedScorer, load_scorer
from dealflow.predict.scoring import TARGETS, TOP_REASONS, features_frame, score
from dealflow.predict.timeline import epoch_of
from dealflow.predict.training import train

DEMO_CONTACTS_AT_SCALE_1 = 10_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--database", help="reuse this database's 'bench' workspace")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each step")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'scoring.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    started = time.perf_counter()
    with db.unit_of_work(engine) as session:
        if session.scalar(select(Workspace.id).where(Workspace.slug == "bench")) is None:
            build_demo(
                session, slug="bench", seed=3, scale=args.contacts / DEMO_CONTACTS_AT_SCALE_1
            )
    build_seconds = time.perf_counter() - started
    with db.unit_of_work(engine) as session:
        space = get_workspace(session, "bench")
        started = time.perf_counter()
        report = train(session, space.id, "leads", now=now())
        train_seconds = time.perf_counter() - started
    with db.unit_of_work(engine) as session:
        space = get_workspace(session, "bench")
        ids = np.array(
            session.scalars(select(Contact.id).where(Contact.workspace_id == space.id)).all()
        )
        at = np.full(len(ids), epoch_of(now()), dtype=np.int64)
        scorer = load_scorer(active_model(session, space.id, "leads"))

        assert isinstance(scorer, LearnedScorer), "too little history for a model"
        features_seconds = end_to_end = bare = float("inf")
        for _ in range(args.repeat):
            started = time.perf_counter()
            features = features_frame(session, space.id, "leads", ids, at)
            features_seconds = min(features_seconds, time.perf_counter() - started)
            probabilities = scorer.predict_proba(features)
            end_to_end = min(end_to_end, time.perf_counter() - started)
        matrix = encode(features[scorer.model.feature_names], scorer.model.categories)
        for _ in range(args.repeat):
            started = time.perf_counter()
            scorer.model.booster.predict(matrix, num_threads=2)
            bare = min(bare, time.perf_counter() - started)

        started = time.perf_counter()
        scorer.reasons(features, TARGETS["leads"].phrases, top=TOP_REASONS)
        reasons = time.perf_counter() - started

        started = time.perf_counter()
        score(session, space.id, "leads", now=now(), record_ids=ids.tolist())
        persisted = time.perf_counter() - started
    print(
        json.dumps(
            {
                "contacts": len(ids),
                "model": report.model.method,
                "holdout_auc": report.metrics.get("model", {}).get("auc"),
                "build_seconds": round(build_seconds, 1),
                "train_seconds": round(train_seconds, 1),
                "score_contacts_per_second": round(len(ids) / end_to_end),
                "features_seconds": round(features_seconds, 3),
                "bare_predict_contacts_per_second": round(len(ids) / bare),
                "score_vs_bare_cost": round(end_to_end / bare, 2),
                "reasons_contacts_per_second": round(len(ids) / reasons),
                "score_and_store_contacts_per_second": round(len(ids) / persisted),
                "mean_probability": round(float(probabilities.mean()), 4),
            }
        )
    )


if __name__ == "__main__":
    main()
