"""``dealflow eval leads|deals``: the scoring pipeline run on any labelled CSV."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import typer
from rich.table import Table

from dealflow.cli.app import console, errors
from dealflow.cli.eval_group import eval_app
from dealflow.predict.evaluation import Evaluation, evaluate_table
from dealflow.predict.rules_config import DEFAULT_RULES, read_rules_file
from dealflow.predict.tabular import read_labelled_csv

METRICS = (
    ("auc", "ROC AUC", ".3f"),
    ("pr_auc", "PR AUC", ".3f"),
    ("brier", "Brier", ".3f"),
    ("ece", "ECE", ".3f"),
    ("lift_top_decile", "top-decile lift", ".2f"),
)
CsvOption = typer.Option(..., "--csv", help="The labelled CSV file.")
TargetOption = typer.Option(..., "--target", help="The outcome column (won/lost, 1/0, yes/no...).")
DropOption = typer.Option([], "--drop", help="A column to leave out (repeat for several).")
TimeOption = typer.Option(
    None, "--time-col", help="A date column: train on the earliest 70%, test on the rest."
)
PositiveOption = typer.Option(None, "--positive", help="The target value that counts as success.")
RulesOption = typer.Option(None, "--rules", help="A YAML or JSON rules document to compare with.")
KeepOption = typer.Option([], "--keep", help="Keep this column even if it looks like a leak.")
KeepLeaksOption = typer.Option(False, "--keep-leaks", help="Keep every suspected leak.")
SeedOption = typer.Option(0, "--seed", help="Random seed: the same seed gives the same figures.")
JsonOption = typer.Option(False, "--json", help="Print one JSON object.")


DOCS = {
    "leads": "Validate lead scoring on a labelled CSV against naive Bayes, logistic and rules.",
    "deals": "Validate win probability on a labelled CSV against naive Bayes, logistic and rules.",
}


def _command(kind: str) -> Callable[..., None]:
    def command(
        csv: Path = CsvOption,
        target: str = TargetOption,
        drop: list[str] = DropOption,
        time_col: str | None = TimeOption,
        positive: str | None = PositiveOption,
        rules: Path | None = RulesOption,
        keep: list[str] = KeepOption,
        keep_leaks: bool = KeepLeaksOption,
        seed: int = SeedOption,
        as_json: bool = JsonOption,
    ) -> None:
        _evaluate(
            kind, csv, target, drop, time_col, positive, rules, keep, keep_leaks, seed, as_json
        )

    command.__doc__ = DOCS[kind]
    return command


for _kind in DOCS:
    eval_app.command(_kind)(_command(_kind))


def _evaluate(
    kind: str,
    csv: Path,
    target: str,
    drop: list[str],
    time_col: str | None,
    positive: str | None,
    rules: Path | None,
    keep: list[str],
    keep_leaks: bool,
    seed: int,
    as_json: bool,
) -> None:
    point_rules = read_rules_file(rules, None) if rules else DEFAULT_RULES[kind]
    table = read_labelled_csv(csv, target, positive=positive, drop=drop, time_column=time_col)
    with errors.status("Evaluating") as status:
        evaluation = evaluate_table(
            table,
            rules=point_rules,
            keep=keep,
            keep_leaks=keep_leaks,
            seed=seed,
            progress=lambda step: status.update(f"Evaluating: {step}"),
        )
    if as_json:
        print(json.dumps(evaluation.to_document()))
    else:
        _print(evaluation, table.positive_label)


def _print(evaluation: Evaluation, positive_label: str) -> None:
    console.print(
        f"{evaluation.n:,} rows, {evaluation.positives:,} positive ({positive_label!r}); "
        f"{evaluation.validation}."
    )
    table = Table("scorer", *(label for _, label, _ in METRICS))
    for name, values in evaluation.metrics.items():
        table.add_row(name, *(format(values[key], spec) for key, _, spec in METRICS))
    console.print(table)
    for leak in evaluation.excluded_leaks:
        console.print(f"Left out as a suspected leak: [bold]{leak.column}[/] ({leak.why}).")
    if evaluation.dropped:
        unused = "; ".join(f"{name} ({why})" for name, why in evaluation.dropped.items())
        console.print(f"Not used: {unused}.")
    for warning in evaluation.warnings:
        console.print(f"[yellow]warning:[/] {warning}")
