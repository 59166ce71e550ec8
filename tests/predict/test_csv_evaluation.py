"""``dealflow eval``: the pipeline against every baseline on a labelled CSV, leaks left out."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from dealflow.cli import app, commands
from dealflow.predict.baselines import DEFAULT_LEAD_RULES
from dealflow.predict.evaluation import evaluate_table
from dealflow.predict.tabular import COMPLETENESS, read_labelled_csv, with_completeness
from tests.predict.generated import leads_frame, write_csv

assert commands  # registers the commands with the app
METRIC_KEYS = {"auc", "pr_auc", "brier", "ece", "lift_top_decile"}


@pytest.fixture(scope="module")
def leads_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,200 generated leads with a signal, a row id and a planted leak."""
    frame, converted = leads_frame(1200, seed=5)
    rng = np.random.default_rng(5)
    frame.insert(0, "Lead ID", [f"L{index:05d}" for index in range(len(frame))])
    frame["Outcome Note"] = np.where(
        converted ^ (rng.random(len(converted)) < 0.03), "enrolled", "dropped"
    )
    frame["Signed Up"] = pd.Timestamp("2025-01-01") + pd.to_timedelta(
        np.sort(rng.integers(0, 365, len(frame))), unit="D"
    )
    frame["Converted"] = np.where(converted, "Yes", "No")
    return write_csv(tmp_path_factory.mktemp("eval") / "leads.csv", frame)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["eval", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_has_the_documented_shape_and_the_leak_is_left_out(leads_csv: Path) -> None:
    code, out, _ = run("leads", "--csv", str(leads_csv), "--target", "Converted", "--json")
    assert code == 0
    document = json.loads(out)
    assert document["n"] == 1200
    assert 0 < document["positives"] < 1200
    assert document["validation"].startswith("5-fold stratified cross-validation")
    assert set(document["model"]) >= METRIC_KEYS
    # the generated columns are named like the default rules' features, so rules apply
    assert set(document["baselines"]) == {"naive_bayes", "logistic", "rules"}
    assert all(set(metrics) >= METRIC_KEYS for metrics in document["baselines"].values())
    assert document["excluded_leaks"] == ["Outcome Note"]
    assert document["identifiers_dropped"] == ["Lead ID"]
    assert document["model"]["auc"] > document["baselines"]["naive_bayes"]["auc"]
    assert document["model"]["auc"] < 0.95  # the leak really was left out


def test_a_time_column_gives_a_time_split_and_keep_keeps_a_leak(leads_csv: Path) -> None:
    code, out, _ = run(
        "leads", "--csv", str(leads_csv), "--target", "Converted",
        "--time-col", "Signed Up", "--keep", "Outcome Note", "--json",
    )  # fmt: skip
    assert code == 0
    document = json.loads(out)
    assert document["validation"].startswith("time split on Signed Up: trained on the earliest 840")
    assert (document["n"], document["tested"]) == (1200, 360)
    assert document["excluded_leaks"] == []
    assert document["model"]["auc"] > 0.9  # the kept leak gives the outcome away
    assert any("kept a suspected leak" in warning for warning in document["warnings"])


def test_human_output_is_a_table_with_the_leaks_and_what_was_not_used(leads_csv: Path) -> None:
    code, out, _ = run(
        "deals", "--csv", str(leads_csv), "--target", "Converted", "--drop", "Region"
    )
    assert code == 0
    for text in ("ROC AUC", "naive_bayes", "logistic", "Outcome Note", "Lead ID (identifier)"):
        assert text in out
    assert "rules" not in out.split("Left out")[0]  # no deal rule matches these columns


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "Nope"], "no column 'Nope' (the target); its columns are: Lead ID,"),
        (["--target", "Converted", "--drop", "Ghost"], "no column 'Ghost' (the column to drop)"),
        (["--target", "Converted", "--positive", "maybe"], "'maybe' is not a value of"),
        (["--target", "Converted", "--keep", "Lead ID"], "cannot keep 'Lead ID': not among"),
    ],
)
def test_bad_options_print_one_line_and_exit_1(
    leads_csv: Path, args: list[str], message: str
) -> None:
    code, _, err = run("leads", "--csv", str(leads_csv), *args)
    assert code == 1
    assert message in err
    assert err.count("\n") == 1


def test_a_rules_file_is_used_as_the_rules_baseline(leads_csv: Path, tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - {feature: region, op: eq, value: north, points: 10, label: North}\n",
        encoding="utf-8",
    )
    code, out, _ = run(
        "deals", "--csv", str(leads_csv), "--target", "Converted", "--rules", str(rules), "--json"
    )
    assert code == 0
    assert json.loads(out)["baselines"]["rules"]["auc"] > 0.55
    rules.write_text("rules:\n  - {feature: region, op: near}\n", encoding="utf-8")
    code, _, err = run(
        "deals", "--csv", str(leads_csv), "--target", "Converted", "--rules", str(rules)
    )
    assert code == 1
    assert "rules.yaml: rules[1].op: 'near' is not one of eq, in" in err


def test_the_same_seed_gives_the_same_numbers(leads_csv: Path) -> None:
    table = read_labelled_csv(leads_csv, "Converted")
    first = evaluate_table(table, rules=DEFAULT_LEAD_RULES, seed=3).to_document()
    second = evaluate_table(table, rules=DEFAULT_LEAD_RULES, seed=3).to_document()
    assert first == second


def test_data_without_signal_is_called_so(tmp_path: Path) -> None:
    frame, _ = leads_frame(600, seed=6)
    frame["Converted"] = np.random.default_rng(7).random(len(frame)) < 0.4
    table = read_labelled_csv(write_csv(tmp_path / "noise.csv", frame), "Converted")
    evaluation = evaluate_table(table)
    assert any("no scorer beats chance" in warning for warning in evaluation.warnings)
    assert "rules" not in evaluation.metrics


def test_completeness_is_the_share_of_columns_filled_in_when_several_have_gaps() -> None:
    frame = pd.DataFrame({"a": [1.0, None, None], "b": ["x", "y", None], "c": [1.0, 2.0, 3.0]})
    completed = with_completeness(frame)
    np.testing.assert_allclose(completed[COMPLETENESS], [1.0, 2 / 3, 1 / 3])
    one_gappy_column = frame.drop(columns="b")
    assert list(with_completeness(one_gappy_column).columns) == ["a", "c"]


def test_a_left_out_leaks_gaps_do_not_come_back_through_completeness(tmp_path: Path) -> None:
    frame, _ = leads_frame(1500, seed=8, signal=0.0)
    rng = np.random.default_rng(8)
    converted = rng.random(len(frame)) < 0.4
    frame["Lead Grade"] = np.where(converted, rng.choice(["A", "B"], len(frame)), "")
    for name in ("Phone", "Job Title"):  # gaps at random, so completeness is computed
        frame[name] = np.where(rng.random(len(frame)) < 0.5, rng.choice(["p", "q"], len(frame)), "")
    frame["Converted"] = converted
    table = read_labelled_csv(write_csv(tmp_path / "graded.csv", frame), "Converted")
    evaluation = evaluate_table(table)
    assert [leak.column for leak in evaluation.excluded_leaks] == ["Lead Grade"]
    assert evaluation.metrics["model"]["auc"] < 0.6
