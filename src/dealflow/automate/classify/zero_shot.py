"""Zero-shot labels: an inquiry gets the label whose description it is most similar to
(in embedding space, so a Japanese inquiry matches an English description)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dealflow.automate.classify.embedder import Embedder, Vectors
from dealflow.automate.classify.model import Matrix

SHARPNESS = 50.0
"""e5's cosine similarities sit in a narrow band (about 0.7-0.9): scaled before the
softmax so a clearly closer description gets most of the probability."""


class ZeroShotClassifier:
    """Labels from descriptions; each line of a description is one way of saying it."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def fit(self, labels: Sequence[str], descriptions: Sequence[str]) -> ZeroShotClassifier:
        lines = [
            [line.strip() for line in description.splitlines() if line.strip()] or [label]
            for label, description in zip(labels, descriptions, strict=True)
        ]
        self.classes_ = np.array(list(labels), dtype=object)
        self.owner_ = np.array([i for i, group in enumerate(lines) for _ in group])
        self.descriptions_ = self.embedder.embed([line for group in lines for line in group])
        return self

    def predict_proba(self, vectors: Vectors) -> Matrix:
        """One column per label: the softmax of each label's best-matching line."""
        similarity = np.asarray(vectors @ self.descriptions_.T, dtype=np.float64)
        best = np.full((len(vectors), len(self.classes_)), -1.0)
        for column in range(len(self.classes_)):
            best[:, column] = similarity[:, self.owner_ == column].max(axis=1)
        scores = SHARPNESS * best
        scores -= scores.max(axis=1, keepdims=True)
        weights = np.exp(scores)
        return np.asarray(weights / weights.sum(axis=1, keepdims=True))
