"""``dealflow eval forecast`` on a pipeline export, and ``dealflow forecast`` with submissions."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from dealflow.predict.forecast.periods import quarter_of
from tests.cli.conftest import Cli, one_line_error


def _pipeline_csv(path: Path, months: int = 8, seed: int = 0) -> Path:
    """Deals engaged over ``months``, a third won, a third lost, a third still open."""
    rng = np.random.default_rng(seed)
    lines = ["opportunity_id,sales_agent,product,deal_stage,engage_date,close_date,close_value"]
    start = date(2024, 1, 1)
    last = start + timedelta(days=30 * months)
    for number in range(60 * months):
        engaged = start + timedelta(days=int(rng.integers(0, 30 * months)))
        closes = engaged + timedelta(days=int(rng.integers(5, 90)))
        outcome = number % 3
        if outcome == 2 or closes >= last:
            lines.append(f"D{number},Ann,Basic,Engaging,{engaged},,")
        else:
            stage, value = ("Won", int(rng.integers(500, 2000))) if outcome == 0 else ("Lost", 0)
            lines.append(f"D{number},Ann,Basic,{stage},{engaged},{closes},{value}")
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_backtest_prints_the_issue_s_json(cli: Cli, tmp_path: Path) -> None:
    pipeline = _pipeline_csv(tmp_path / "pipeline.csv")

    result = cli("eval", "forecast", "--pipeline-csv", str(pipeline), "--json")

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["periods"] and set(report["ai"]) == {"mape", "bias", "coverage_p10_p90"}
    assert set(report["baselines"]) == {"weighted_pipeline", "naive", "run_rate"}


def test_a_missing_pipeline_file_is_one_line_naming_it(cli: Cli, tmp_path: Path) -> None:
    result = cli("eval", "forecast", "--pipeline-csv", str(tmp_path / "nope.csv"))

    assert result.exit_code == 1
    assert "nope.csv does not exist" in one_line_error(result)


def test_a_rep_s_submission_shows_next_to_the_ai_forecast(cli: Cli, tmp_path: Path) -> None:
    this_quarter = quarter_of(date.today()).label
    cli("init", "-w", "acme")
    added = cli("users", "add", "ann@example.com", "--name", "Ann", "--no-password", "-w", "acme")
    assert added.exit_code == 0, added.output
    imported = cli("import", "deals", str(_deals_csv(tmp_path / "deals.csv")), "-w", "acme")
    assert imported.exit_code == 0, imported.output

    submitted = cli(
        "forecast",
        "submit",
        "12345",
        "--as",
        "ann@example.com",
        "--period",
        this_quarter,
        "-w",
        "acme",
    )
    shown = cli("forecast", "--period", this_quarter, "--json", "-w", "acme")

    assert submitted.exit_code == 0, submitted.output
    assert f"Recorded submission of 12,345.00 for {this_quarter}." in submitted.stdout
    assert shown.exit_code == 0, shown.output
    report = json.loads(shown.stdout)
    (ann,) = [rep for rep in report["reps"] if rep["name"] == "Ann"]
    assert ann["submitted"] == 12345
    assert ann["ai"]["p10"] <= ann["ai"]["p50"] <= ann["ai"]["p90"]


def _deals_csv(path: Path) -> Path:
    """Ann's deals over the last twelve months: wins and losses each month, a few still open."""
    lines = ["external_id,name,amount,stage,owner,created_at,closed_at"]
    today = date.today()
    for month in range(12, 0, -1):
        for number in range(6):
            created = today - timedelta(days=30 * month - 4 * number)
            closing = created + timedelta(days=20 + 9 * number)
            key = f"D{month}-{number}"
            if closing >= today or number == 5:
                lines.append(f"{key},Deal {key},1000,Demo,ann@example.com,{created}T10:00:00Z,")
                continue
            stage = "Closed won" if number % 2 == 0 else "Closed lost"
            lines.append(
                f"{key},Deal {key},1000,{stage},ann@example.com,{created}T10:00:00Z,"
                f"{closing}T12:00:00Z"
            )
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_forecast_table_written_to_a_pipe_keeps_whole_numbers(cli: Cli, tmp_path: Path) -> None:
    this_quarter = quarter_of(date.today()).label
    cli("init", "-w", "acme")
    cli(
        "users",
        "add",
        "ann@example.com",
        "--name",
        "Ann Marie Lindqvist-Okonkwo",
        "--no-password",
        "-w",
        "acme",
    )
    cli("import", "deals", str(_deals_csv(tmp_path / "deals.csv")), "-w", "acme")
    cli(
        "forecast",
        "submit",
        "123456789",
        "--as",
        "ann@example.com",
        "--period",
        this_quarter,
        "-w",
        "acme",
    )

    shown = cli("forecast", "--period", this_quarter, "-w", "acme")

    assert shown.exit_code == 0, shown.output
    assert "123,456,789" in shown.stdout and "Ann Marie Lindqvist-Okonkwo" in shown.stdout
    assert "…" not in shown.stdout
