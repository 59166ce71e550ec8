"""``dealflow eval classifier``: the classifier's parts measured against each other on any
labelled CSV (a given test file, or 5-fold stratified cross-validation)."""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

from dealflow.automate.classify.embedder import Embedder
from dealflow.automate.classify.model import PARTS, InquiryClassifier
from dealflow.core.errors import InvalidInputError

FOLDS = 5
Progress = Callable[[str], None]


@dataclass
class ClassifierEvaluation:
    n_train: int
    n_test: int
    validation: str
    metrics: dict[str, dict[str, float]]
    per_class: dict[str, dict[str, Any]]
    seconds: dict[str, float] = field(default_factory=dict)

    def to_document(self) -> dict[str, Any]:
        """The ``--json`` document."""
        return {
            "n_train": self.n_train,
            "n_test": self.n_test,
            **{part: self.metrics[part] for part in PARTS},
            "per_class": self.per_class,
        }


def read_labelled(path: Path, text_col: str, label_col: str) -> tuple[list[str], list[str]]:
    """The texts and labels of a CSV (rows with either blank are skipped)."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = reader.fieldnames or []
            for column in (text_col, label_col):
                if column not in columns:
                    raise InvalidInputError(
                        f"{path}: no column {column!r}; columns: {', '.join(columns)}"
                    )
            rows = [
                (row[text_col].strip(), row[label_col].strip())
                for row in reader
                if (row[text_col] or "").strip() and (row[label_col] or "").strip()
            ]
    except OSError as error:
        raise InvalidInputError(f"{path}: {error.strerror}") from None
    if not rows:
        raise InvalidInputError(f"{path}: no rows with both {text_col!r} and {label_col!r}")
    return [text for text, _ in rows], [label for _, label in rows]


def evaluate_classifier(
    texts: Sequence[str],
    labels: Sequence[str],
    embedder: Embedder,
    test: tuple[Sequence[str], Sequence[str]] | None = None,
    progress: Progress | None = None,
) -> ClassifierEvaluation:
    """Accuracy, macro-F1 and per-class figures of TF-IDF, embeddings and their combination;
    on ``test`` when given, else on pooled out-of-fold predictions of 5-fold CV."""
    say = progress or (lambda _: None)
    all_texts = list(texts) + (list(test[0]) if test else [])
    started = time.perf_counter()
    say(f"Embedding {len(all_texts):,} texts")
    vectors = embedder.embed(all_texts)
    seconds = {"embedding": time.perf_counter() - started}
    started = time.perf_counter()
    if test is not None:
        say("Training")
        train_vectors, test_vectors = vectors[: len(texts)], vectors[len(texts) :]
        model = InquiryClassifier().fit(texts, labels, train_vectors)
        truth = np.asarray(test[1], dtype=object)
        predicted: dict[str, Any] = {p: model.predict(test[0], test_vectors, p) for p in PARTS}
        validation = "the given test file"
    else:
        truth = np.asarray(labels, dtype=object)
        folds = _folds(truth)
        predicted = {p: np.empty(len(truth), dtype=object) for p in PARTS}
        text_array = np.asarray(texts, dtype=object)
        for number, (train, held) in enumerate(folds.split(text_array, truth), start=1):
            say(f"Fold {number} of {FOLDS}")
            model = InquiryClassifier().fit(list(text_array[train]), truth[train], vectors[train])
            for part in PARTS:
                predicted[part][held] = model.predict(list(text_array[held]), vectors[held], part)
        validation = f"{FOLDS}-fold stratified cross-validation"
    seconds["training"] = time.perf_counter() - started
    return ClassifierEvaluation(
        n_train=len(texts),
        n_test=len(truth),
        validation=validation,
        metrics={part: _scores(truth, predicted[part]) for part in PARTS},
        per_class=_per_class(truth, predicted),
        seconds=seconds,
    )


def _folds(truth: Any) -> StratifiedKFold:
    smallest = min(np.unique(truth, return_counts=True)[1])
    if smallest < FOLDS:
        raise InvalidInputError(
            f"cross-validation needs at least {FOLDS} rows of each label; the rarest has "
            f"{smallest} (give --test-csv, or more labelled rows)"
        )
    return StratifiedKFold(n_splits=FOLDS, shuffle=True, random_state=0)


def _scores(truth: Any, predicted: Any) -> dict[str, float]:
    return {
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
    }


def _per_class(truth: Any, predicted: dict[str, Any]) -> dict[str, dict[str, Any]]:
    classes = sorted(set(truth))
    figures: dict[str, dict[str, Any]] = {
        label: {"n": int((truth == label).sum())} for label in classes
    }
    for part, guesses in predicted.items():
        precision, recall, f1, _ = precision_recall_fscore_support(
            truth, guesses, labels=classes, zero_division=0
        )
        for i, label in enumerate(classes):
            figures[label][part] = {
                "precision": round(float(precision[i]), 4),
                "recall": round(float(recall[i]), 4),
                "f1": round(float(f1[i]), 4),
            }
    return figures
