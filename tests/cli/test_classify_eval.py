"""``dealflow eval classifier`` on generated inquiries in four languages."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.automate.classify.conftest import remembered_by_default
from tests.automate.classify.inquiries import inquiries
from tests.cli.conftest import Cli

assert remembered_by_default  # autouse fixture: the commands embed each text once per run


def _csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["message", "intent", "language"])
        writer.writerows(rows)
    return path


def test_the_json_report_has_each_part_and_per_class_figures(cli: Cli, tmp_path: Path) -> None:
    train = _csv(tmp_path / "train.csv", inquiries(range(2)))
    test = _csv(tmp_path / "test.csv", inquiries(range(3, 4)))

    result = cli(
        "eval", "classifier", "--csv", str(train), "--test-csv", str(test),
        "--text-col", "message", "--label-col", "intent", "--json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"n_train", "n_test", "tfidf", "embeddings", "combined", "per_class"}
    assert (report["n_train"], report["n_test"]) == (48, 24)
    for part in ("tfidf", "embeddings", "combined"):
        assert set(report[part]) == {"accuracy", "macro_f1"}
        assert report[part]["accuracy"] >= 0.8
    assert set(report["per_class"]) == {"billing", "sales_inquiry", "support"}
    assert report["per_class"]["billing"]["n"] == 8
    assert set(report["per_class"]["billing"]["combined"]) == {"precision", "recall", "f1"}


def test_cross_validation_without_a_test_file_and_the_table(cli: Cli, tmp_path: Path) -> None:
    train = _csv(tmp_path / "train.csv", inquiries(range(2)))

    result = cli(
        "eval", "classifier", "--csv", str(train), "--text-col", "message",
        "--label-col", "intent",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "48 training rows, 48 tested (5-fold stratified cross-validation)" in result.stdout
    assert "TF-IDF (char n-grams) + linear SVM" in result.stdout
    assert "sales_inquiry" in result.stdout


def test_a_missing_column_is_named_with_the_columns_there_are(cli: Cli, tmp_path: Path) -> None:
    train = _csv(tmp_path / "train.csv", inquiries(range(1)))

    result = cli(
        "eval", "classifier", "--csv", str(train), "--text-col", "text", "--label-col", "intent"
    )

    assert result.exit_code == 1
    assert "no column 'text'; columns: message, intent, language" in result.stderr
