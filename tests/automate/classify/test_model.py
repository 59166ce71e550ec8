"""The classifier's parts on generated inquiries in four languages."""

from __future__ import annotations

import numpy as np
import pytest

from dealflow.automate.classify.labels import DEFAULT_LABELS
from dealflow.automate.classify.model import PARTS, InquiryClassifier
from dealflow.automate.classify.zero_shot import ZeroShotClassifier
from tests.automate.classify.conftest import RememberingEmbedder
from tests.automate.classify.inquiries import LANGUAGES, inquiries

TRAIN, TEST = inquiries(range(2)), inquiries(range(3, 4))


def fitted(embedder: RememberingEmbedder) -> InquiryClassifier:
    texts, labels = [t for t, _, _ in TRAIN], [label for _, label, _ in TRAIN]
    return InquiryClassifier().fit(texts, labels, embedder.embed(texts))


def test_every_part_labels_new_inquiries_in_each_language(
    embedder: RememberingEmbedder,
) -> None:
    model = fitted(embedder)
    texts = [t for t, _, _ in TEST]
    vectors = embedder.embed(texts)

    for part in PARTS:
        predicted = model.predict(texts, vectors, part)
        for language in LANGUAGES:
            mine = [i for i, (_, _, lang) in enumerate(TEST) if lang == language]
            right = [predicted[i] == TEST[i][1] for i in mine]
            assert sum(right) / len(right) >= 5 / 6, (part, language, predicted[mine])


def test_probabilities_sum_to_one_and_survive_saving(embedder: RememberingEmbedder) -> None:
    model = fitted(embedder)
    texts = [t for t, _, _ in TEST]
    vectors = embedder.embed(texts)

    loaded = InquiryClassifier.from_bytes(model.to_bytes())

    for part in PARTS:
        probabilities = model.predict_proba(texts, vectors, part)
        assert probabilities.shape == (len(texts), 3)
        assert np.allclose(probabilities.sum(axis=1), 1.0)
        assert np.allclose(loaded.predict_proba(texts, vectors, part), probabilities)
    assert list(loaded.classes_) == ["billing", "sales_inquiry", "support"]


def test_an_unfitted_or_one_label_classifier_says_so(embedder: RememberingEmbedder) -> None:
    with pytest.raises(RuntimeError, match="not fitted"):
        InquiryClassifier().predict_proba(["hello"], embedder.embed(["hello"]))
    with pytest.raises(ValueError, match="at least two labels"):
        InquiryClassifier().fit(["a", "b"], ["x", "x"], embedder.embed(["a", "b"]))


def test_zero_shot_reads_the_label_descriptions_across_languages(
    embedder: RememberingEmbedder,
) -> None:
    zero_shot = ZeroShotClassifier(embedder).fit(
        [label.name for label in DEFAULT_LABELS], [label.description for label in DEFAULT_LABELS]
    )
    texts = [
        "Could you send us a quote and your prices for 50 licences?",
        "見積もりと価格表を送っていただけますか。50ライセンスの購入を検討しています。",
        "Our device is broken and shows an error since yesterday. Please help us repair it.",
        "기기가 고장 나서 어제부터 오류가 납니다. 수리를 도와주세요.",
        "We were charged twice on our last invoice; please refund the payment.",
    ]

    probabilities = zero_shot.predict_proba(embedder.embed(texts))

    labels = list(zero_shot.classes_[probabilities.argmax(axis=1)])
    assert labels == ["sales_inquiry", "sales_inquiry", "support", "support", "billing"]
