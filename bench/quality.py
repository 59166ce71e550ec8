"""Data quality diagnosis and the cleansing agent on a large generated workspace.

Builds the demo (with its planted duplicates and sloppy values) at ``--scale`` into a fresh
SQLite file, then times, in the same run: the baseline (reading every contact, company,
deal and product row into memory once, which any diagnosis must at least do), the
diagnosis, the agent's proposals, applying them, and undoing them.

    python bench/quality.py [--scale 1.0] [--seed 7]

Prints one JSON object: seconds per step and each step's ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import pandas as pd
from sqlalchemy import select

from dealflow import db
from dealflow.core import clock
from dealflow.crm.cleansing.service import Policy, apply_changeset, run_agent, undo_changeset
from dealflow.crm.quality.service import diagnose
from dealflow.crm.workspaces import get_workspace
from dealflow.demo import build_demo
from dealflow.models import Company, Contact, Deal, Product


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = db.make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        db.upgrade(engine)
        with db.unit_of_work(engine) as session:
            started = time.perf_counter()
            build_demo(session, slug="bench", seed=args.seed, scale=args.scale)
            built = time.perf_counter() - started
            workspace = get_workspace(session, "bench")
            seconds: dict[str, float] = {}
            clock_started = time.perf_counter()

            def lap(step: str) -> None:
                nonlocal clock_started
                seconds[step] = round(time.perf_counter() - clock_started, 2)
                clock_started = time.perf_counter()

            rows = 0
            for model in (Contact, Company, Deal, Product):
                statement = select(model).where(model.workspace_id == workspace.id)
                rows += len(pd.DataFrame(session.execute(statement).all()))
            lap("baseline_read_all_rows")
            before = diagnose(session, workspace, now=clock.now())
            lap("diagnosis")
            policy = Policy(auto_apply=False)
            changeset = run_agent(
                session, workspace, now=clock.now(), policy=policy, diagnosis=before
            )
            lap("agent_proposals")
            apply_changeset(session, workspace.id, changeset.id, now=clock.now())
            lap("apply")
            changes = dict(changeset.summary)
            after = diagnose(session, workspace, now=clock.now())
            clock_started = time.perf_counter()
            undo_changeset(session, workspace.id, changeset.id, now=clock.now())
            lap("undo")
            session.rollback()
        engine.dispose()
    baseline = seconds["baseline_read_all_rows"]
    print(
        json.dumps(
            {
                "scale": args.scale,
                "rows": rows,
                "demo_build_seconds": round(built, 1),
                "seconds": seconds,
                "ratio_vs_reading_all_rows": {
                    k: round(v / baseline, 1)
                    for k, v in seconds.items()
                    if k != "baseline_read_all_rows"
                },
                "score_before": before.score,
                "score_after": after.score,
                "changes": changes,
            }
        )
    )


if __name__ == "__main__":
    main()
