"""Duplicate detection at scale: generated person records with ~10% planted duplicates.

Dealflow's engine (training chosen automatically, its self-check on) against splink
configured as its tutorial does, on the same table in the same run; pairwise F1 against the
planted truth, seconds, and the ratio of the two times.

    python bench/dedupe.py [--records 1000000] [--seed 0] [--no-baseline]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time

from dealflow.crm.linkage.baselines import splink_tutorial_groups
from dealflow.crm.linkage.engine import link_table
from dealflow.crm.linkage.metrics import pair_count, pairwise_scores
from dealflow.demo.person_records import person_records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-baseline", action="store_true", help="skip splink's tutorial run")
    args = parser.parse_args()
    started = time.perf_counter()
    table = person_records(args.records, seed=args.seed)
    generated = time.perf_counter() - started
    truth = table.set_index("record_id")["entity"]
    unlabelled = table.drop(columns=["entity"])
    say = lambda step: print(f"{time.perf_counter() - started:7.1f}s {step}", file=sys.stderr)  # noqa: E731
    started = time.perf_counter()
    linkage = link_table(unlabelled, "record_id", progress=say)
    ours = {**pairwise_scores(linkage.groups, truth), "seconds": time.perf_counter() - started}
    result: dict[str, object] = {
        "n": len(table),
        "true_pairs": pair_count(truth),
        "generated_seconds": round(generated, 1),
        "dealflow": ours,
        "threshold": linkage.threshold,
        "blocking_rules": [f"{r.describe()} ({r.pairs:,} pairs)" for r in linkage.rules],
        "training_sessions": [
            {"rule": s.rule, "plausible": s.plausible, "problems": list(s.problems)}
            for s in linkage.sessions
        ],
        "warnings": linkage.warnings,
    }
    if not args.no_baseline:
        say("splink with tutorial settings")
        started = time.perf_counter()
        groups = splink_tutorial_groups(unlabelled, "record_id", linkage.roles)
        baseline = {**pairwise_scores(groups, truth), "seconds": time.perf_counter() - started}
        result["splink_tutorial"] = baseline
        result["seconds_ratio_vs_splink_tutorial"] = ours["seconds"] / baseline["seconds"]
    result["load_average"] = os.getloadavg()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
