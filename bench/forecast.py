"""Forecast speed: a workspace with N open deals (default 10,000) and two years of closed ones.

Writes the workspace (or reuses --database), then times, in the same run:
- the forecast of the current quarter end to end: read the deals and their stage and amount
  history, learn close rates as of today and as of each of the last months (recalibration),
  simulate 2,000 runs for every rep, team and the total, and find the gap deals;
- the bare simulation of the same deals and groups (the baseline the ratio is against).

    python bench/forecast.py [--open-deals 10000] [--database sqlite:///bench-forecast.db]

Prints one JSON object (wall-clock and this process's CPU seconds: on a shared machine the
wall clock also counts time spent waiting for a core).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
from sqlalchemy import select

from dealflow import db
from dealflow.crm.bulk import BulkWriter
from dealflow.crm.history import Change
from dealflow.crm.workspaces import default_pipeline, ensure_workspace, get_workspace, stages_of
from dealflow.models import Base, Workspace
from dealflow.predict.forecast.service import forecast_period
from dealflow.predict.forecast.simulation import Level, simulate

NOW = datetime(2026, 11, 15, 12, tzinfo=UTC)
HISTORY_DAYS = 730
REPS = 40
TEAMS = 4


def build(session, open_deals: int, seed: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Reps in teams, and deals over two years: three closed for every one still open."""
    rng = np.random.default_rng(seed)
    space = ensure_workspace(session, "bench")
    writer = BulkWriter(session, space.id, "bench")
    start = NOW - timedelta(days=HISTORY_DAYS)
    tables = Base.metadata.tables
    team_ids = writer.insert(
        tables["teams"],
        [{"name": f"Team {n}", "region": None, "created_at": start} for n in range(TEAMS)],
    )
    user_ids = writer.insert(
        tables["users"],
        [
            {
                "name": f"Rep {n}",
                "email": f"rep{n}@bench.example",
                "role": "rep",
                "team_id": team_ids[n % TEAMS],
                "is_active": True,
                "created_at": start,
                "updated_at": start,
            }
            for n in range(REPS)
        ],
    )
    pipeline = default_pipeline(session, space.id)
    stages = stages_of(session, pipeline.id)
    open_stages = [s.id for s in stages if s.kind == "open"]
    won = next(s.id for s in stages if s.kind == "won")
    lost = next(s.id for s in stages if s.kind == "lost")
    total = open_deals * 4
    created = np.sort(rng.uniform(0, HISTORY_DAYS, total))
    duration = rng.exponential(45, total)
    closes = created + duration
    # the latest created deals are the open ones
    is_open = np.zeros(total, dtype=bool)
    is_open[-open_deals:] = True
    closes = np.where(is_open, np.nan, np.minimum(closes, HISTORY_DAYS - 0.01))
    wins = rng.random(total) < 0.4
    rows, changes = [], []
    for index in range(total):
        created_at = start + timedelta(days=float(created[index]))
        stage = int(rng.choice(open_stages)) if is_open[index] else (won if wins[index] else lost)
        closed_at = None if is_open[index] else start + timedelta(days=float(closes[index]))
        rows.append(
            {
                "name": f"Deal {index}",
                "amount": Decimal(int(rng.lognormal(9, 0.8))),
                "currency": "USD",
                "close_date": (NOW + timedelta(days=int(rng.integers(-20, 120)))).date(),
                "owner_id": user_ids[int(rng.integers(0, REPS))],
                "pipeline_id": pipeline.id,
                "stage_id": stage,
                "closed_at": closed_at,
                "properties": {},
                "created_at": created_at,
                "updated_at": closed_at or created_at,
            }
        )
    ids = writer.insert(tables["deals"], rows)
    for record_id, row in zip(ids, rows, strict=True):
        if row["closed_at"] is not None:
            changes.append(
                (record_id, Change("stage_id", open_stages[0], row["stage_id"]), row["closed_at"])
            )
    writer.changes("deals", changes, emit=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--open-deals", type=int, default=10_000)
    parser.add_argument("--database", help="use (and keep) this database's 'bench' workspace")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'forecast.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    started = time.perf_counter()
    with db.unit_of_work(engine) as session:
        if session.scalar(select(Workspace.id).where(Workspace.slug == "bench")) is None:
            build(session, args.open_deals)
    build_seconds = time.perf_counter() - started
    with db.unit_of_work(engine) as session:
        space = get_workspace(session, "bench")
        forecast_period(session, space.id, now=NOW)  # warm caches and imports
        started, cpu = time.perf_counter(), time.process_time()
        result = forecast_period(session, space.id, now=NOW)
        forecast_seconds = time.perf_counter() - started
        forecast_cpu = time.process_time() - cpu
    rng = np.random.default_rng(1)
    count = result.open_deals
    chances = rng.uniform(0, 0.6, count)
    amounts = rng.lognormal(9, 0.8, count)
    groups = {
        "rep": Level(rng.integers(0, REPS, count), np.zeros(REPS), np.zeros(REPS)),
        "team": Level(rng.integers(0, TEAMS, count), np.zeros(TEAMS), np.zeros(TEAMS)),
        "total": Level(np.zeros(count, dtype=np.int64), np.zeros(1), np.zeros(1)),
    }
    started, cpu = time.perf_counter(), time.process_time()
    simulate(chances, amounts, groups, spread=0.3)
    simulation_seconds = time.perf_counter() - started
    simulation_cpu = time.process_time() - cpu
    print(
        json.dumps(
            {
                "open_deals": count,
                "deals": count * 4,
                "build_seconds": round(build_seconds, 2),
                "forecast_seconds": round(forecast_seconds, 3),
                "simulation_seconds": round(simulation_seconds, 3),
                "ratio_to_simulation": round(forecast_seconds / simulation_seconds, 2),
                # CPU time of this process: what the work costs when other processes compete
                "forecast_cpu_seconds": round(forecast_cpu, 3),
                "simulation_cpu_seconds": round(simulation_cpu, 3),
                "goal_seconds": 2.0,
                "total_p50": round(result.total.ai.p50, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
