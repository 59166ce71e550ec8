"""``dealflow forecast`` (the reps' numbers and the AI's side by side, with the gap deals),
``dealflow forecast submit`` and ``dealflow eval forecast`` (the backtest)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from dealflow.cli.app import WorkspaceOption, app, console, unit_of_work, workspace, workspace_slug
from dealflow.cli.eval_group import eval_app
from dealflow.core.clock import now
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm.users import find_user, team_named
from dealflow.models import User
from dealflow.predict.forecast.backtest import backtest, summary
from dealflow.predict.forecast.pipeline_file import read_pipeline
from dealflow.predict.forecast.service import PeriodForecast, ScopeForecast, forecast_period
from dealflow.predict.forecast.snapshots import (
    accuracy_history,
    freeze_forecast,
    grade_closed_periods,
)
from dealflow.predict.forecast.submissions import Submitter, submit_forecast
from dealflow.predict.forecast.workspace_data import fiscal_start_month, read_workspace_deals

forecast_app = typer.Typer(
    help="The period's forecast: each rep's number next to the AI's, and the deals between.",
    invoke_without_command=True,
)
app.add_typer(forecast_app, name="forecast")

GAP_LABELS = {
    "doubted_commit": "committed, model doubts",
    "left_out": "model expects, not in commit",
    "unrealistic_close_date": "close date unlikely",
}


@forecast_app.callback()
def show(
    ctx: typer.Context,
    period: str | None = typer.Option(
        None, "--period", help="2026-Q4 (fiscal quarter) or 2026-11 (month); default: this quarter."
    ),
    team: str | None = typer.Option(None, "--team", help="Only this team (its name)."),
    gaps: int = typer.Option(5, "--gaps", min=0, help="Gap deals shown per rep and in total."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Print the forecast of a period: per rep and team, the submitted number (else the commit
    from deal categories), the AI's P10/P50/P90, the weighted pipeline, and the gap deals."""
    if ctx.invoked_subcommand is not None:
        return
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        team_id = team_named(session, space.id, team).id if team else None
        result = forecast_period(session, space.id, now=now(), period=period, team_id=team_id)
    if as_json:
        print(json.dumps(_as_json(result)))
        return
    _print(result, gaps)


def _print(result: PeriodForecast, gaps: int) -> None:
    source = (
        "deal scorer's win probabilities"
        if result.probability_source == "deal scorer"
        else "close rates learned from history"
    )
    console.print(
        f"[bold]Forecast {result.period.label}[/] ({result.period.start} to {result.period.end}), "
        f"as of {result.as_of:%Y-%m-%d}: {result.open_deals:,} open deals, {source}."
    )
    table = Table("", "rep number", "AI P10", "AI P50", "AI P90", "gap", "weighted", "won so far")
    for row in [result.total, *result.teams, *result.reps]:
        style = "bold" if row.scope != "rep" else None
        table.add_row(
            _label(row),
            _money(row.rep_number) + ("" if row.submitted is not None else " (commit)"),
            _money(row.ai.p10),
            _money(row.ai.p50),
            _money(row.ai.p90),
            _money(row.gap, signed=True),
            _money(row.weighted_pipeline),
            _money(row.won_so_far),
            style=style,
        )
    console.print(table)
    if gaps:
        for row in [result.total, *result.reps]:
            if row.gaps:
                console.print(f"\n[bold]Gap deals: {_label(row)}[/]")
                console.print(_gap_table(row, gaps))


def _gap_table(row: ScopeForecast, count: int) -> Table:
    table = Table("deal", "why", "category", "close date", "amount", "AI chance", "contribution")
    for gap in row.gaps[:count]:
        deal = gap.deal
        table.add_row(
            deal.name,
            GAP_LABELS[gap.kind],
            deal.category,
            str(deal.close_date or "-"),
            _money(deal.amount),
            f"{deal.chance:.0%}",
            _money(gap.contribution, signed=True),
        )
    return table


def _label(row: ScopeForecast) -> str:
    return {"total": "Total", "team": f"Team {row.name}"}.get(row.scope, row.name)


def _money(value: float, *, signed: bool = False) -> str:
    return f"{value:+,.0f}" if signed else f"{value:,.0f}"


def _as_json(result: PeriodForecast) -> dict[str, object]:
    def row(scope: ScopeForecast) -> dict[str, object]:
        return {
            "scope": scope.scope,
            "id": scope.scope_id,
            "name": scope.name,
            "submitted": scope.submitted,
            "commit": round(scope.commit, 2),
            "rep_number": round(scope.rep_number, 2),
            "ai": {name: round(getattr(scope.ai, name), 2) for name in ("p10", "p50", "p90")},
            "gap": round(scope.gap, 2),
            "weighted_pipeline": round(scope.weighted_pipeline, 2),
            "won_so_far": round(scope.won_so_far, 2),
            "gap_deals": [
                {
                    "deal_id": gap.deal.deal_id,
                    "name": gap.deal.name,
                    "kind": gap.kind,
                    "category": gap.deal.category,
                    "close_date": str(gap.deal.close_date) if gap.deal.close_date else None,
                    "amount": round(gap.deal.amount, 2),
                    "chance": round(gap.deal.chance, 4),
                    "contribution": round(gap.contribution, 2),
                }
                for gap in scope.gaps
            ],
        }

    return {
        "period": result.period.label,
        "as_of": result.as_of.isoformat(),
        "probability_source": result.probability_source,
        "total": row(result.total),
        "teams": [row(team) for team in result.teams],
        "reps": [row(rep) for rep in result.reps],
    }


@forecast_app.command("submit")
def submit(
    amount: str = typer.Argument(..., help="The number, e.g. 250000.", show_default=False),
    by: str = typer.Option(..., "--as", help="Email of the person submitting."),
    period: str = typer.Option(..., "--period", help="2026-Q4 or 2026-11."),
    rep: str | None = typer.Option(None, "--rep", help="Adjust this rep's number (managers)."),
    team: str | None = typer.Option(None, "--team", help="Submit this team's number (managers)."),
    note: str | None = typer.Option(None, "--note", help="Why (required for an adjustment)."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Submit a forecast number for a period; earlier numbers stay in the history."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        submitter = _user(session, space.id, by)
        user_id = _user(session, space.id, rep).id if rep else None
        team_id = team_named(session, space.id, team).id if team else None
        row = submit_forecast(
            session,
            space.id,
            Submitter(submitter.id, submitter.role),
            period,
            amount,
            user_id=user_id,
            team_id=team_id,
            note=note,
        )
        console.print(f"Recorded {row.kind} of {row.amount:,} for {row.period}.")


def _user(session: Session, workspace_id: int, email: str) -> User:
    user = find_user(session, workspace_id, email)
    if user is None:
        raise NotFoundError(f"no user with email {email} in this workspace")
    return user


@eval_app.command("forecast")
def eval_forecast(
    pipeline_csv: Path | None = typer.Option(
        None, "--pipeline-csv", help="A pipeline export: one row per deal.", show_default=False
    ),
    products_csv: Path | None = typer.Option(
        None, "--products-csv", help="Product list prices, for amounts of deals still open."
    ),
    column: list[str] = typer.Option(
        [], "--column", help="ROLE=COLUMN when names do not say it (created, closed, stage...)."
    ),
    fiscal_start: int = typer.Option(1, "--fiscal-start-month", min=1, max=12),
    horizon: int = typer.Option(
        1, "--horizon-months", min=1, max=12, help="Forecast the next N months (3: a quarter)."
    ),
    seed: int = typer.Option(0, help="Random seed of the simulation."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    workspace_option: str | None = WorkspaceOption,
) -> None:
    """Replay history month by month, forecasting each month's won revenue with only the facts
    known at its start; compare the AI forecast with weighted pipeline, last month and run rate."""
    if pipeline_csv is not None:
        pipeline = read_pipeline(pipeline_csv, products=products_csv, columns=_roles(column))
        timeline = pipeline.timeline
        if not as_json and pipeline.skipped:
            console.print(f"{pipeline.skipped:,} rows without a creation date left out.")
    else:
        with unit_of_work() as session:
            space = workspace(session, workspace_slug(workspace_option), create=False)
            timeline = read_workspace_deals(session, space.id).timeline
            fiscal_start = fiscal_start_month(session, space.id)
    with console.status("Backtesting") as status:
        results = backtest(
            timeline,
            fiscal_start_month=fiscal_start,
            horizon_months=horizon,
            seed=seed,
            progress=lambda label: status.update(f"Backtesting {label}"),
        )
    report = summary(results)
    if as_json:
        print(json.dumps(report))
        return
    table = Table(
        "month", "actual", "AI P10", "AI P50", "AI P90", "weighted", "last month", "run rate"
    )
    for row in report["periods"]:
        table.add_row(
            row["period"],
            _money(row["actual"]),
            *(_money(row["ai"][name]) for name in ("p10", "p50", "p90")),
            *(_money(row[name]) for name in ("weighted_pipeline", "naive", "run_rate")),
        )
    console.print(table)
    scores = Table("forecast", "MAPE", "bias", "P10-P90 coverage")
    ai = report["ai"]
    scores.add_row("AI P50", _ratio(ai["mape"]), _ratio(ai["bias"]), _ratio(ai["coverage_p10_p90"]))
    for name, values in report["baselines"].items():
        scores.add_row(name, _ratio(values["mape"]), _ratio(values["bias"]), "")
    console.print(scores)


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _roles(pairs: list[str]) -> dict[str, str]:
    roles = {}
    for pair in pairs:
        role, sep, name = pair.partition("=")
        if not sep or not name.strip():
            raise InvalidInputError(
                f"--column {pair!r}: expected ROLE=COLUMN, e.g. created=engage_date"
            )
        roles[role.strip()] = name.strip()
    return roles


@forecast_app.command("freeze")
def freeze(workspace_option: str | None = WorkspaceOption) -> None:
    """Freeze this quarter's forecast at its checkpoint (start, week 2, week 4) and grade the
    frozen forecasts of periods that have ended; run it daily (it does nothing twice)."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        rows = freeze_forecast(session, space.id, now=now())
        graded = grade_closed_periods(session, space.id, now=now())
    frozen = f"Froze {rows[0].period} at {rows[0].checkpoint}" if rows else "Nothing to freeze"
    console.print(f"{frozen}; graded {graded:,} forecasts of ended periods.")


@forecast_app.command("accuracy")
def accuracy(workspace_option: str | None = WorkspaceOption) -> None:
    """How the AI's P50 and the submitted numbers did in past periods, at each checkpoint."""
    with unit_of_work() as session:
        space = workspace(session, workspace_slug(workspace_option), create=False)
        lines = accuracy_history(session, space.id)
    if not lines:
        console.print("No graded forecasts yet: `dealflow forecast freeze` keeps them.")
        return
    table = Table(
        "period", "checkpoint", "actual", "AI P50", "AI error", "submitted", "error", "in P10-P90"
    )
    for line in lines:
        table.add_row(
            line.period,
            line.checkpoint,
            _money(float(line.actual)),
            _money(float(line.ai_p50)),
            f"{line.ai_error:+.1%}",
            _money(float(line.submitted)) if line.submitted is not None else "-",
            f"{line.submitted_error:+.1%}" if line.submitted_error is not None else "-",
            "yes" if line.inside_p10_p90 else "no",
        )
    console.print(table)
