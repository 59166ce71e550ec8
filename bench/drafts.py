"""Drafting speed and quality on the demo workspace: offline drafts (context, composer,
tone and grounding checks, stored in the review queue) for N contacts, against building
their contexts alone (the baseline, in the same run). Also reports the share of offline
drafts that pass both checks in the contact's language (the goal is all of them).

    python bench/drafts.py [--contacts 1000] [--scale 0.1] [--database URL]

Builds the demo at ``--scale`` into a temporary SQLite file unless ``--database`` points at
a built one. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from dealflow import db
from dealflow.core import clock
from dealflow.demo import build_demo
from dealflow.models import Contact, Workspace
from dealflow.personalize.builder import build_context
from dealflow.personalize.drafting import Drafter
from dealflow.predict.pipeline import score_workspace

SLUG = "demo"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=1000)
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--database", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = db.make_engine(url)
        db.upgrade(engine)
        built = 0.0
        if args.database is None:
            started = time.perf_counter()
            with db.unit_of_work(engine) as session:
                build_demo(session, slug=SLUG, seed=7, scale=args.scale)
            with db.unit_of_work(engine) as session:
                space = session.scalars(select(Workspace).where(Workspace.slug == SLUG)).one()
                score_workspace(session, space.id, now=clock.now())
            db.refresh_planner_statistics(engine)  # as `dealflow demo` and `serve` do
            built = time.perf_counter() - started
        print(json.dumps(measure(engine, args.contacts) | {"demo_build_seconds": round(built, 1)}))
        engine.dispose()


def measure(engine: object, count: int) -> dict[str, object]:
    with db.unit_of_work(engine) as session:  # type: ignore[arg-type]
        space = session.scalars(select(Workspace).where(Workspace.slug == SLUG)).one()
        ids = session.scalars(
            select(Contact.id).where(Contact.workspace_id == space.id).order_by(Contact.id)
        ).all()
        ids = (list(ids) * (count // max(1, len(ids)) + 1))[:count]

        started = time.perf_counter()
        for contact_id in ids:
            build_context(session, space.id, contact_id)
        contexts = time.perf_counter() - started

        started = time.perf_counter()
        drafter = Drafter(session, space.id, "offline")
        results = Counter()
        failures: list[dict[str, object]] = []
        for contact_id in ids:
            draft = drafter.queue(contact_id, source="bench")
            unsupported = [c for c in draft.grounding_report if not c["supported"]]
            passed = not unsupported and not draft.tone_report
            results[(draft.language, passed)] += 1
            if not passed and len(failures) < 5:
                failures.append(
                    {"contact": contact_id, "tone": draft.tone_report, "unsupported": unsupported}
                )
        drafting = time.perf_counter() - started
        session.rollback()
    languages = sorted({language for language, _ in results})
    passing = {
        language: round(
            results[(language, True)] / (results[(language, True)] + results[(language, False)]),
            4,
        )
        for language in languages
    }
    total_passed = sum(n for (_, ok), n in results.items() if ok)
    return {
        "contacts": len(ids),
        "drafts_seconds": round(drafting, 2),
        "contexts_only_seconds": round(contexts, 2),
        "ratio_drafts_vs_contexts": round(drafting / contexts, 2) if contexts else None,
        "drafts_per_second": round(len(ids) / drafting, 1) if drafting else None,
        "goal_seconds": 10,
        "pass_rate": round(total_passed / len(ids), 4) if ids else None,
        "pass_rate_by_language": passing,
        "drafts_by_language": {
            lang: results[(lang, True)] + results[(lang, False)] for lang in languages
        },
        "failures": failures,
    }


if __name__ == "__main__":
    main()
