"""``dealflow eval classifier``: the inquiry classifier's parts measured on any labelled CSV."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from dealflow.automate.classify.embedder import default_embedder
from dealflow.automate.classify.evaluation import (
    ClassifierEvaluation,
    evaluate_classifier,
    read_labelled,
)
from dealflow.automate.classify.model import PARTS
from dealflow.cli.app import console, errors
from dealflow.cli.eval_group import eval_app

PART_NAMES = {
    "tfidf": "TF-IDF (char n-grams) + linear SVM",
    "embeddings": "e5 embeddings + logistic regression",
    "combined": "combined",
}


@eval_app.command("classifier")
def classifier(
    csv: Path = typer.Option(..., "--csv", help="Labelled texts (training rows)."),
    text_col: str = typer.Option(..., "--text-col", help="The column holding the text."),
    label_col: str = typer.Option(..., "--label-col", help="The column holding the label."),
    test_csv: Path | None = typer.Option(
        None, "--test-csv", help="Test rows (same columns); without it, 5-fold CV."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Train the inquiry classifier on a CSV and report accuracy, macro-F1 and per-class
    figures for TF-IDF, embeddings and their combination."""
    texts, labels = read_labelled(csv, text_col, label_col)
    test = read_labelled(test_csv, text_col, label_col) if test_csv else None
    with errors.status("Reading") as status:
        evaluation = evaluate_classifier(
            texts, labels, default_embedder(), test, progress=lambda step: status.update(step)
        )
    if as_json:
        print(json.dumps(evaluation.to_document(), ensure_ascii=False))
    else:
        _print(evaluation)


def _print(evaluation: ClassifierEvaluation) -> None:
    console.print(
        f"{evaluation.n_train:,} training rows, {evaluation.n_test:,} tested "
        f"({evaluation.validation}); embedding took {evaluation.seconds['embedding']:.0f} s, "
        f"training and testing {evaluation.seconds['training']:.0f} s."
    )
    table = Table("classifier", "accuracy", "macro-F1")
    for part in PARTS:
        scores = evaluation.metrics[part]
        table.add_row(PART_NAMES[part], f"{scores['accuracy']:.3f}", f"{scores['macro_f1']:.3f}")
    console.print(table)
    per_class = Table("label", "n", *(f"F1 {part}" for part in PARTS))
    for label, figures in evaluation.per_class.items():
        per_class.add_row(
            label, str(figures["n"]), *(f"{figures[part]['f1']:.3f}" for part in PARTS)
        )
    console.print(per_class)
