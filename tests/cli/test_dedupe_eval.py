"""``dealflow eval dedupe`` on a generated CSV with known entities."""

from __future__ import annotations

import json
from pathlib import Path

from dealflow.demo.person_records import person_records
from tests.cli.conftest import Cli


def _people_csv(tmp_path: Path) -> Path:
    path = tmp_path / "people.csv"
    person_records(600, seed=21).to_csv(path, index=False)
    return path


def test_the_json_report_scores_dealflow_splink_and_exact_keys(cli: Cli, tmp_path: Path) -> None:
    path = _people_csv(tmp_path)

    result = cli(
        "eval", "dedupe", "--csv", str(path), "--id-col", "record_id", "--truth-col", "entity",
        "--json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == 600
    assert report["true_pairs"] > 30
    for contender in ("dealflow", "splink_default", "exact_key"):
        assert set(report[contender]) == {"precision", "recall", "f1", "seconds"}
    assert report["dealflow"]["f1"] >= 0.85
    assert report["dealflow"]["recall"] > report["exact_key"]["recall"]
    assert "entity" not in report["roles"]


def test_a_missing_truth_column_is_named_with_the_columns_there_are(
    cli: Cli, tmp_path: Path
) -> None:
    path = _people_csv(tmp_path)

    result = cli(
        "eval", "dedupe", "--csv", str(path), "--id-col", "record_id", "--truth-col", "who"
    )

    assert result.exit_code == 1
    assert "no column 'who' (the truth column)" in result.output
    assert "first_name" in result.output


def test_a_role_override_must_name_a_role(cli: Cli, tmp_path: Path) -> None:
    path = _people_csv(tmp_path)

    result = cli(
        "eval", "dedupe", "--csv", str(path), "--id-col", "record_id", "--truth-col", "entity",
        "--role", "city=planet",
    )  # fmt: skip

    assert result.exit_code == 1
    assert "role 'planet' is not one of" in result.output
