"""``dealflow train``, ``score``, ``models`` and ``evaluate``: the scorers of leads and deals."""

from __future__ import annotations

import json
from enum import StrEnum

import typer
from rich.table import Table

from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.core.clock import now
from dealflow.predict.monitoring import evaluate_models
from dealflow.predict.registry import models_of
from dealflow.predict.scoring import score
from dealflow.predict.stall import detect_stalls
from dealflow.predict.training import train


class Target(StrEnum):
    leads = "leads"
    deals = "deals"


METRIC_COLUMNS = (("auc", "ROC AUC"), ("pr_auc", "PR AUC"), ("brier", "Brier"), ("ece", "ECE"))


@app.command("train")
def train_command(
    target: Target = typer.Argument(..., help="leads (lead scoring) or deals (win probability)."),
    seed: int = typer.Option(0, help="Random seed: the same seed trains the same model."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Train a scorer on the workspace's history, compare it with the baselines on the latest
    snapshots, and make it the active version (the point rules when data is too thin)."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        with console.status("Training") as status:
            report = train(
                session,
                space.id,
                target.value,
                now=now(),
                seed=seed,
                progress=lambda step: status.update(f"Training: {step}"),
            )
    console.print(
        f"[bold]{target.value}-v{report.model.version}[/] ({report.model.method}) from "
        f"{report.rows:,} snapshots ({report.train_rows:,} to train, "
        f"{report.test_rows:,} later ones to validate)."
    )
    if report.metrics:
        console.print(_metrics_table(report.metrics))
    for leak in report.excluded_leaks:
        console.print(f"Left out as a suspected leak: [bold]{leak.column}[/] ({leak.why}).")
    console.print(report.readiness.explanation)


def _metrics_table(metrics: dict[str, dict[str, float]]) -> Table:
    table = Table("scorer", *(label for _, label in METRIC_COLUMNS), "top-decile lift")
    for name, values in metrics.items():
        table.add_row(
            name,
            *(f"{values[key]:.3f}" for key, _ in METRIC_COLUMNS),
            f"{values['lift_top_decile']:.2f}",
        )
    return table


@app.command("score")
def score_command(
    target: Target = typer.Argument(..., help="leads or deals."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Score every open lead (or open deal) with the active model; deals also get stall
    detection."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        result = score(session, space.id, target.value, now=now())
        stalls = detect_stalls(session, space.id, now=now()) if target == Target.deals else None
    bands = ", ".join(f"{band}: {count:,}" for band, count in sorted(result.band_counts.items()))
    console.print(f"Scored {result.scored:,} {target.value} with {result.model} ({bands}).")
    console.print(f"{result.band_changes:,} changed band since the last run.")
    if stalls is not None:
        console.print(
            f"{stalls.stalled:,} of {stalls.open_deals:,} open deals have stalled "
            f"({stalls.newly_stalled:,} new)."
        )


@app.command("models")
def models_command(
    workspace_option: str | None = WorkspaceOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON array."),
) -> None:
    """List every model version: method, training window, holdout metrics, readiness."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        models = models_of(session, space.id)
        rows = [
            {
                "model": f"{m.target}-v{m.version}",
                "method": m.method,
                "active": m.is_active,
                "trained_at": m.trained_at.isoformat(),
                "window": [
                    m.window_start.isoformat() if m.window_start else None,
                    m.window_end.isoformat() if m.window_end else None,
                ],
                "holdout": m.metrics.get("holdout", {}),
                "readiness": m.readiness.get("explanation", ""),
            }
            for m in models
        ]
    if as_json:
        print(json.dumps(rows))
        return
    if not rows:
        console.print("No models yet: run `dealflow train leads` or `dealflow train deals`.")
        return
    table = Table("model", "method", "active", "trained", "holdout AUC", "rules AUC")
    for row in rows:
        holdout = row["holdout"]
        table.add_row(
            str(row["model"]),
            str(row["method"]),
            "yes" if row["active"] else "",
            str(row["trained_at"])[:16].replace("T", " "),
            f"{holdout['model']['auc']:.3f}" if holdout else "-",
            f"{holdout['rules']['auc']:.3f}" if holdout else "-",
        )
    console.print(table)
    for row in rows:
        if row["active"]:
            console.print(f"{row['model']}: {row['readiness']}")


@app.command("evaluate")
def evaluate_command(
    workspace_option: str | None = WorkspaceOption,
    as_json: bool = typer.Option(False, "--json", help="Print one JSON array."),
) -> None:
    """Grade past predictions against what happened since: AUC, Brier, calibration, drift."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        evaluations = evaluate_models(session, space.id, now=now())
    if as_json:
        print(json.dumps([e.__dict__ for e in evaluations]))
        return
    if not evaluations:
        console.print("No predictions yet: run `dealflow score leads` first.")
        return
    table = Table("model", "predictions", "graded", "positives", "ROC AUC", "Brier", "ECE", "PSI")
    for e in evaluations:
        m = e.metrics
        table.add_row(
            e.model,
            f"{e.predictions:,}",
            f"{e.graded:,}",
            f"{e.positives:,}",
            f"{m['auc']:.3f}" if m else "-",
            f"{m['brier']:.3f}" if m else "-",
            f"{m['ece']:.3f}" if m else "-",
            f"{e.psi:.3f}" if e.psi is not None else "-",
        )
    console.print(table)
    for e in evaluations:
        if e.note:
            console.print(f"{e.model}: {e.note}")
