"""``dealflow eval dedupe``: duplicate detection measured on any CSV with known entities."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from dealflow.cli.app import console, errors, fail
from dealflow.cli.eval_group import eval_app
from dealflow.crm.linkage.evaluation import DedupeEvaluation, evaluate_dedupe, read_table
from dealflow.crm.linkage.roles import ROLES

CONTENDERS = (
    ("dealflow", "Dealflow"),
    ("splink_default", "splink, tutorial settings"),
    ("exact_key", "exact key"),
)


@eval_app.command("dedupe")
def dedupe(
    csv: Path = typer.Option(..., "--csv", help="The CSV file, one record per row."),
    id_col: str = typer.Option(..., "--id-col", help="The column that identifies each row."),
    truth_col: str = typer.Option(
        ..., "--truth-col", help="The true entity of each row (rows of one entity share it)."
    ),
    role: list[str] = typer.Option(
        [], "--role", help=f"COLUMN=ROLE to override an inferred role ({', '.join(ROLES)})."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Group a CSV's rows into entities; pairwise precision, recall, F1 and time, with splink
    (tutorial settings) and an exact-key baseline alongside."""
    overrides = {}
    for given in role:
        column, equals, name = given.partition("=")
        if not equals:
            raise fail(f"--role {given!r}: write it as COLUMN=ROLE")
        overrides[column.strip()] = name.strip()
    table = read_table(csv)
    with errors.status("Reading the table") as status:
        evaluation = evaluate_dedupe(
            table, id_col, truth_col, overrides, progress=lambda step: status.update(step)
        )
    if as_json:
        print(json.dumps(evaluation.to_document()))
    else:
        _print(evaluation)


def _print(evaluation: DedupeEvaluation) -> None:
    console.print(
        f"{evaluation.n:,} rows, {evaluation.true_pairs:,} true duplicate pairs; "
        f"threshold {evaluation.linkage.threshold:.3f} (chosen from the model's own scores)."
    )
    table = Table("grouping", "precision", "recall", "F1", "seconds")
    for key, label in CONTENDERS:
        if key in evaluation.scores:
            s = evaluation.scores[key]
            table.add_row(
                label,
                f"{s['precision']:.3f}",
                f"{s['recall']:.3f}",
                f"{s['f1']:.3f}",
                f"{s['seconds']:.1f}",
            )
    console.print(table)
    roles = ", ".join(
        f"{r.column}: {r.role}" for r in evaluation.linkage.roles if r.role != "ignore"
    )
    console.print(f"Columns compared: {roles}.")
    rules = "; ".join(rule.describe() for rule in evaluation.linkage.rules)
    console.print(f"Blocking rules: {rules}.")
    for warning in evaluation.linkage.warnings + evaluation.notes:
        console.print(f"[yellow]warning:[/] {warning}")
