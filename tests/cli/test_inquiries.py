"""``dealflow inquiries``: labels, learning from a CSV, training, classifying, correcting."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.automate.classify.conftest import remembered_by_default
from tests.automate.classify.inquiries import inquiries
from tests.cli.conftest import Cli

assert remembered_by_default  # autouse fixture: the commands embed each text once per run


def test_learn_train_classify_and_correct_an_inquiry(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "labelled.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows((text, label) for text, label, _ in inquiries(range(2)))
    assert cli("init", "-w", "acme").exit_code == 0

    learned = cli(
        "inquiries", "learn", str(path), "--text-col", "text", "--label-col", "label", "-w", "acme"
    )
    trained = cli("inquiries", "train", "-w", "acme")
    said = cli(
        "inquiries", "classify", "--text", "견적을 보내주세요. 가격이 궁금합니다.", "-w", "acme"
    )
    missing = cli("inquiries", "correct", "billing", "--ticket", "1", "-w", "acme")

    assert learned.stdout.strip() == "Kept 48 labelled inquiries."
    assert (
        "Inquiry classifier v1 trained on billing 16, sales_inquiry 16, support 16."
        in trained.stdout
    )
    assert said.stdout.startswith("sales_inquiry (confidence ")
    assert "model v1)" in said.stdout
    assert (missing.exit_code, missing.stderr.strip()) == (
        1, "error: tickets #1 not found in this workspace"
    )  # fmt: skip


def test_an_untrained_workspace_says_what_training_needs(cli: Cli) -> None:
    assert cli("init").exit_code == 0
    result = cli("inquiries", "train")

    assert result.exit_code == 1
    assert "labelled so far: none (zero-shot labels are used meanwhile)" in result.stderr


def test_a_workspace_lists_the_default_labels_and_takes_its_own(cli: Cli) -> None:
    assert (
        cli(
            "inquiries", "label", "renewal", "--description", "A customer asks to renew.", "--sales"
        ).exit_code
        == 0
    )

    listed = cli("inquiries", "labels").stdout

    for name in ("sales_inquiry", "support", "billing", "partnership", "spam", "other", "renewal"):
        assert name in listed
