"""``dealflow eval`` on the shared labelled datasets, when present.

- x_education_leads: 5-fold stratified CV on Leads.csv, target Converted, with the columns known
  to be filled after the outcome dropped (Tags, Lead Quality, Lead Profile, the four
  Asymmetrique columns, Last Activity, Last Notable Activity), the rules baseline from
  bench/x_education_rules.yaml (its columns match no default rule); then the leakage guard on
  the file with Tags and Lead Quality left in (it should flag both).
- crm_sales_opportunities: closed deals of sales_pipeline.csv joined with accounts, products
  and sales teams (the join lives here, not in the product), target deal_stage (Won), time split
  on close_date; close_value (known at close) and engage_date (read against close_date it would
  be the length of the sales cycle, known only at the end) dropped.

    python bench/eval_datasets.py [--data /work/shared/data]

Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from dealflow.predict.baselines import DEFAULT_DEAL_RULES, RulesScorer
from dealflow.predict.evaluation import evaluate_table
from dealflow.predict.leakage import find_leaks
from dealflow.predict.tabular import read_labelled_csv

RULES = Path(__file__).with_name("x_education_rules.yaml")
X_EDUCATION_LEAKY = ["Tags", "Lead Quality"]
X_EDUCATION_DROP = [
    *X_EDUCATION_LEAKY,
    "Lead Profile",
    "Asymmetrique Activity Index",
    "Asymmetrique Profile Index",
    "Asymmetrique Activity Score",
    "Asymmetrique Profile Score",
    "Last Activity",
    "Last Notable Activity",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    results: dict[str, Any] = {}
    leads = arguments.data / "x_education_leads" / "Leads.csv"
    if leads.is_file():
        results["x_education"] = x_education(leads, arguments.seed)
    pipeline = arguments.data / "crm_sales_opportunities"
    if (pipeline / "sales_pipeline.csv").is_file():
        results["crm_sales_opportunities"] = crm_sales_opportunities(pipeline, arguments.seed)
    print(json.dumps(results))


def x_education(path: Path, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    table = read_labelled_csv(path, "Converted", drop=X_EDUCATION_DROP)
    rules = RulesScorer.from_document(yaml.safe_load(RULES.read_text(encoding="utf-8"))).rules
    result = _summary(evaluate_table(table, rules=rules, seed=seed).to_document())
    result["seconds"] = round(time.perf_counter() - started, 1)
    drop_but_leaks = [name for name in X_EDUCATION_DROP if name not in X_EDUCATION_LEAKY]
    with_leaks = read_labelled_csv(path, "Converted", drop=drop_but_leaks)
    flagged = find_leaks(with_leaks.features, with_leaks.outcome, seed=seed)
    result["guard_with_tags_and_lead_quality_left_in"] = {leak.column: leak.why for leak in flagged}
    return result


def crm_sales_opportunities(folder: Path, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    deals = pd.read_csv(folder / "sales_pipeline.csv")
    deals["product"] = deals["product"].replace({"GTXPro": "GTX Pro"})  # one spelling
    for name, key in (
        ("accounts", "account"),
        ("products", "product"),
        ("sales_teams", "sales_agent"),
    ):
        if (folder / f"{name}.csv").is_file():
            deals = deals.merge(pd.read_csv(folder / f"{name}.csv"), on=key, how="left")
    with tempfile.TemporaryDirectory() as directory:
        joined = Path(directory) / "deals.csv"
        deals.to_csv(joined, index=False)
        table = read_labelled_csv(
            joined,
            "deal_stage",
            positive="Won",
            drop=["close_value", "engage_date"],
            time_column="close_date",
        )
    result = _summary(evaluate_table(table, rules=DEFAULT_DEAL_RULES, seed=seed).to_document())
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _summary(document: dict[str, Any]) -> dict[str, Any]:
    rounded = {
        name: {key: round(value, 4) for key, value in metrics.items()}
        for name, metrics in [("model", document["model"]), *document["baselines"].items()]
    }
    keys = ("n", "positives", "validation", "excluded_leaks", "identifiers_dropped", "warnings")
    return {**{key: document[key] for key in keys}, "metrics": rounded}


if __name__ == "__main__":
    main()
