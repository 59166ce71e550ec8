"""The inquiry classifier: character n-gram TF-IDF with a linear model, multilingual
sentence embeddings with logistic regression, and their combination (a weighted mean of
the two models' log-probabilities), each usable alone so they can be measured against each
other. Follows scikit-learn's estimator contract; saved as JSON and arrays (no pickle)."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC

from dealflow.automate.classify.embedder import Vectors

Part = Literal["tfidf", "embeddings", "combined"]
PARTS: tuple[Part, ...] = ("tfidf", "embeddings", "combined")
Matrix = npt.NDArray[np.float64]
TEMPERATURES = (2.0, 3.0, 5.0, 8.0, 12.0, 20.0)
"""Scales of the SVM's margins tried as logits (the SVM gives no probabilities itself)."""
WEIGHTS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
HELD_OUT_SHARE, MIN_HELD_OUT_ROWS = 0.2, 200


class InquiryClassifier:
    """Labels texts; ``fit`` takes the texts, their labels and their embeddings."""

    def __init__(
        self,
        *,
        tfidf_c: float = 0.5,
        embeddings_c: float = 20.0,
        temperature: float = 5.0,
        tfidf_weight: float = 0.4,
    ) -> None:
        self.tfidf_c = tfidf_c
        self.embeddings_c = embeddings_c
        self.temperature = temperature
        self.tfidf_weight = tfidf_weight

    def fit(
        self, texts: Sequence[str], labels: Sequence[str], vectors: Vectors
    ) -> InquiryClassifier:
        """Learn both models; with enough data, first choose the TF-IDF temperature and
        weight on a held-out fifth of the training rows (never on test data)."""
        y = np.asarray(labels, dtype=object)
        self.classes_ = np.array(sorted(set(labels)), dtype=object)
        if len(self.classes_) < 2:
            raise ValueError("training needs inquiries of at least two labels")
        self.temperature_, self.tfidf_weight_ = self.temperature, self.tfidf_weight
        held = _held_out(y)
        if held is not None:
            keep = np.setdiff1d(np.arange(len(y)), held)
            text_array = np.asarray(texts, dtype=object)
            trial = InquiryClassifier(tfidf_c=self.tfidf_c, embeddings_c=self.embeddings_c)
            trial._fit_parts(list(text_array[keep]), y[keep], vectors[keep])
            self.temperature_, self.tfidf_weight_ = trial._best_mix(
                list(text_array[held]), y[held], vectors[held]
            )
        self._fit_parts(texts, y, vectors)
        return self

    def _fit_parts(self, texts: Sequence[str], y: Any, vectors: Vectors) -> None:
        self.classes_ = np.array(sorted(set(y)), dtype=object)
        self.chars_ = _char_vectorizer(len(texts)).fit(texts)
        self.words_ = _word_vectorizer().fit(texts)
        svm = LinearSVC(C=self.tfidf_c).fit(self._tfidf(texts), y)
        self.tfidf_coef_, self.tfidf_intercept_ = _aligned(svm, self.classes_)
        logistic = LogisticRegression(C=self.embeddings_c, max_iter=500).fit(vectors, y)
        self.embeddings_coef_, self.embeddings_intercept_ = _aligned(logistic, self.classes_)

    def _best_mix(self, texts: Sequence[str], y: Any, vectors: Vectors) -> tuple[float, float]:
        """The temperature and TF-IDF weight with the best held-out accuracy (then
        log-loss)."""
        tfidf, embedded = self._tfidf_scores(texts), _log_softmax(self._embedding_scores(vectors))
        truth = np.searchsorted(self.classes_, y)
        known = np.isin(y, self.classes_)
        best: tuple[float, float, float, float] | None = None
        for temperature in TEMPERATURES:
            tfidf_log = _log_softmax(temperature * tfidf)
            for weight in WEIGHTS:
                mixed = _log_softmax(weight * tfidf_log + (1 - weight) * embedded)
                accuracy = float((mixed.argmax(axis=1) == truth)[known].mean())
                loss = float(-mixed[known, truth[known]].mean())
                candidate = (accuracy, -loss, temperature, weight)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
        assert best is not None
        return best[2], best[3]

    def predict_proba(
        self, texts: Sequence[str], vectors: Vectors, part: Part = "combined"
    ) -> Matrix:
        """Probabilities, one column per label in ``classes_``."""
        if not hasattr(self, "classes_"):
            raise RuntimeError("the classifier is not fitted yet")
        if part == "tfidf":
            return _softmax(self.temperature * self._tfidf_scores(texts))
        if part == "embeddings":
            return _softmax(self._embedding_scores(vectors))
        mixed = self.tfidf_weight * _log_softmax(self.temperature * self._tfidf_scores(texts)) + (
            1 - self.tfidf_weight
        ) * _log_softmax(self._embedding_scores(vectors))
        return _softmax(mixed)

    def predict(self, texts: Sequence[str], vectors: Vectors, part: Part = "combined") -> Any:
        """The most likely label of each text."""
        return self.classes_[self.predict_proba(texts, vectors, part).argmax(axis=1)]

    def _tfidf(self, texts: Sequence[str]) -> csr_matrix:
        return hstack([self.chars_.transform(texts), self.words_.transform(texts)]).tocsr()

    def _tfidf_scores(self, texts: Sequence[str]) -> Matrix:
        return np.asarray(self._tfidf(texts) @ self.tfidf_coef_.T) + self.tfidf_intercept_

    def _embedding_scores(self, vectors: Vectors) -> Matrix:
        return np.asarray(vectors @ self.embeddings_coef_.T) + self.embeddings_intercept_

    def to_bytes(self) -> bytes:
        """The fitted model as an .npz archive (arrays, and the vocabularies as JSON)."""
        settings = {
            "tfidf_c": self.tfidf_c,
            "embeddings_c": self.embeddings_c,
            "temperature": self.temperature,
            "tfidf_weight": self.tfidf_weight,
        }
        meta = {
            "settings": settings,
            "classes": [str(c) for c in self.classes_],
            "chars": _vocabulary(self.chars_),
            "words": _vocabulary(self.words_),
            "char_ngrams": list(self.chars_.ngram_range),
            "mix": [self.temperature_, self.tfidf_weight_],
        }
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer,
            meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8),
            chars_idf=self.chars_.idf_,
            words_idf=self.words_.idf_,
            tfidf_coef=self.tfidf_coef_,
            tfidf_intercept=self.tfidf_intercept_,
            embeddings_coef=self.embeddings_coef_,
            embeddings_intercept=self.embeddings_intercept_,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> InquiryClassifier:
        """A classifier saved by ``to_bytes``."""
        arrays = np.load(io.BytesIO(data))
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
        model = cls(**meta["settings"])
        model.classes_ = np.array(meta["classes"], dtype=object)
        model.temperature_, model.tfidf_weight_ = meta["mix"]
        model.chars_ = _restored(_char_vectorizer(0), meta["chars"], arrays["chars_idf"])
        model.chars_.ngram_range = tuple(meta["char_ngrams"])
        model.words_ = _restored(_word_vectorizer(), meta["words"], arrays["words_idf"])
        model.tfidf_coef_ = arrays["tfidf_coef"]
        model.tfidf_intercept_ = arrays["tfidf_intercept"]
        model.embeddings_coef_ = arrays["embeddings_coef"]
        model.embeddings_intercept_ = arrays["embeddings_intercept"]
        return model


def _held_out(y: Any) -> Any:
    """A stratified fifth of the rows to tune the mix on; None when the data is too small
    for that (each label needs five rows, and the fifth 200 rows)."""
    counts = np.unique(y, return_counts=True)[1]
    if len(y) * HELD_OUT_SHARE < MIN_HELD_OUT_ROWS or counts.min() < 5:
        return None
    _, held = train_test_split(
        np.arange(len(y)), test_size=HELD_OUT_SHARE, stratify=y, random_state=0
    )
    return held


def _char_vectorizer(n_texts: int) -> TfidfVectorizer:
    """Character 1-5-grams within word boundaries: works for scripts without spaces
    (Japanese) as well as for Korean, Persian and English; rare n-grams are left out once
    there is enough text for that to be noise."""
    return TfidfVectorizer(
        analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True, min_df=2 if n_texts > 500 else 1
    )


def _word_vectorizer() -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b"
    )


def _aligned(model: Any, classes: Any) -> tuple[Matrix, Matrix]:
    """Coefficients with one row per class of ``classes`` (binary models have one row)."""
    coef = np.asarray(model.coef_, dtype=np.float64)
    intercept = np.asarray(model.intercept_, dtype=np.float64)
    if len(classes) == 2 and coef.shape[0] == 1:
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    order = [list(model.classes_).index(label) for label in classes]
    return coef[order], intercept[order]


def _vocabulary(vectorizer: TfidfVectorizer) -> list[str]:
    terms = [""] * len(vectorizer.vocabulary_)
    for term, index in vectorizer.vocabulary_.items():
        terms[index] = term
    return terms


def _restored(vectorizer: TfidfVectorizer, terms: list[str], idf: Any) -> TfidfVectorizer:
    vectorizer.vocabulary_ = {term: index for index, term in enumerate(terms)}
    vectorizer.idf_ = idf
    return vectorizer


def _log_softmax(scores: Matrix) -> Matrix:
    shifted = scores - scores.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _softmax(scores: Matrix) -> Matrix:
    return np.exp(_log_softmax(scores))
