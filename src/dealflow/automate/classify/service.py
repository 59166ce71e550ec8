"""Inquiry classification as operations on a workspace: its labels, labelled inquiries and
corrections, training, and classifying a record's inquiry (kept with its label, confidence
and model version). Services never commit."""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy.orm import Session

from dealflow.automate.classify import repository
from dealflow.automate.classify.embedder import Embedder
from dealflow.automate.classify.labels import DEFAULT_LABELS
from dealflow.automate.classify.model import InquiryClassifier
from dealflow.automate.classify.zero_shot import ZeroShotClassifier
from dealflow.core import clock
from dealflow.core.errors import InvalidInputError, NotFoundError
from dealflow.crm.repository import WorkspaceRepository
from dealflow.models import (
    Contact,
    InquiryClassification,
    InquiryFeedback,
    InquiryLabel,
    InquiryModel,
    Ticket,
)

MIN_PER_LABEL = 2
"""A label needs this many labelled inquiries before the trained model may give it."""
INQUIRY_OBJECTS = ("tickets", "contacts")


@dataclass(frozen=True)
class Verdict:
    label: str
    confidence: float
    method: str  # "model" or "zero_shot"
    model_version: int | None


def ensure_labels(session: Session, workspace_id: int) -> list[InquiryLabel]:
    """The workspace's labels; a workspace without any gets the default ones."""
    labels = list(repository.labels_of(session, workspace_id))
    if labels:
        return labels
    now = clock.now()
    for spec in DEFAULT_LABELS:
        session.add(
            InquiryLabel(
                workspace_id=workspace_id,
                name=spec.name,
                description=spec.description,
                is_sales=spec.is_sales,
                created_at=now,
            )
        )
    session.flush()
    return list(repository.labels_of(session, workspace_id))


def label_names(session: Session, workspace_id: int) -> list[str]:
    """The names of the workspace's labels (the defaults when it has defined none)."""
    stored = repository.labels_of(session, workspace_id)
    return [label.name for label in stored] or [spec.name for spec in DEFAULT_LABELS]


def define_label(
    session: Session, workspace_id: int, name: str, description: str, *, is_sales: bool = False
) -> InquiryLabel:
    """Add a label, or change the description of one."""
    name = name.strip()
    if not name or len(name) > 60:
        raise InvalidInputError("a label name has 1 to 60 characters")
    if not description.strip():
        raise InvalidInputError(f"label {name!r}: give a description (zero-shot reads it)")
    labels = {label.name: label for label in ensure_labels(session, workspace_id)}
    label = labels.get(name)
    if label is None:
        label = InquiryLabel(workspace_id=workspace_id, name=name, created_at=clock.now())
        session.add(label)
    label.description, label.is_sales = description.strip(), is_sales
    session.flush()
    return label


def check_label(session: Session, workspace_id: int, label: str) -> str:
    """``label`` when the workspace has it; InvalidInputError naming it and the others."""
    names = label_names(session, workspace_id)
    if label not in names:
        raise InvalidInputError(f"unknown label {label!r}; labels: {', '.join(names)}")
    return label


def add_labelled(
    session: Session,
    workspace_id: int,
    text: str,
    label: str,
    *,
    record: tuple[str, int] | None = None,
    given_by: int | None = None,
) -> InquiryFeedback:
    """Keep a labelled inquiry (learned from at the next training)."""
    ensure_labels(session, workspace_id)
    check_label(session, workspace_id, label)
    if not text.strip():
        raise InvalidInputError("a labelled inquiry needs its text")
    feedback = InquiryFeedback(
        workspace_id=workspace_id,
        object_type=record[0] if record else None,
        record_id=record[1] if record else None,
        text=text,
        label=label,
        given_by=given_by,
        given_at=clock.now(),
    )
    session.add(feedback)
    session.flush()
    return feedback


def correct(
    session: Session,
    workspace_id: int,
    object_type: str,
    record_id: int,
    label: str,
    *,
    given_by: int | None = None,
) -> InquiryFeedback:
    """A person's label for a record's inquiry, replacing what the classifier said; kept as
    feedback for the next training."""
    text = inquiry_text(session, workspace_id, object_type, record_id)
    if text is None:
        raise NotFoundError(f"{object_type} #{record_id} has no inquiry text to label")
    feedback = add_labelled(
        session, workspace_id, text, label, record=(object_type, record_id), given_by=given_by
    )
    last = repository.latest_classification(session, workspace_id, object_type, record_id)
    feedback.corrects_id = last.id if last is not None else None
    session.flush()
    return feedback


def train(session: Session, workspace_id: int, embedder: Embedder) -> InquiryModel:
    """Train a new model version from every labelled inquiry and correction."""
    rows = [
        row
        for row in repository.training_feedback(session, workspace_id)
        if row.label in set(label_names(session, workspace_id))
    ]
    counts = Counter(row.label for row in rows)
    usable = [row for row in rows if counts[row.label] >= MIN_PER_LABEL]
    if len({row.label for row in usable}) < 2:
        raise InvalidInputError(
            f"training needs at least {MIN_PER_LABEL} labelled inquiries of two labels or more; "
            f"labelled so far: {dict(counts) or 'none'} (zero-shot labels are used meanwhile)"
        )
    texts = [row.text for row in usable]
    labels = [row.label for row in usable]
    model = InquiryClassifier().fit(texts, labels, embedder.embed(texts))
    stored = InquiryModel(
        workspace_id=workspace_id,
        version=repository.next_model_version(session, workspace_id),
        trained_at=clock.now(),
        embedder=embedder.name,
        labels=dict(Counter(labels)),
        metrics={"n_train": len(texts), "left_out": len(rows) - len(usable)},
        artefact=model.to_bytes(),
    )
    session.add(stored)
    session.flush()
    return stored


def classify_text(session: Session, workspace_id: int, text: str, embedder: Embedder) -> Verdict:
    """The label of ``text``: from the latest trained model, or zero-shot when none exists."""
    vectors = embedder.embed([text])
    stored = repository.latest_model(session, workspace_id)
    if stored is not None:
        model = _loaded(stored)
        probabilities = model.predict_proba([text], vectors)[0]
        best = int(np.argmax(probabilities))
        return Verdict(
            str(model.classes_[best]), float(probabilities[best]), "model", stored.version
        )
    labels = ensure_labels(session, workspace_id)
    zero_shot = _zero_shot(labels, embedder)
    probabilities = zero_shot.predict_proba(vectors)[0]
    best = int(np.argmax(probabilities))
    return Verdict(str(zero_shot.classes_[best]), float(probabilities[best]), "zero_shot", None)


def classify_record(
    session: Session,
    workspace_id: int,
    object_type: str,
    record_id: int,
    embedder: Embedder,
    *,
    now: datetime | None = None,
) -> InquiryClassification | None:
    """Classify the record's inquiry and keep the answer; None when it has no inquiry text."""
    text = inquiry_text(session, workspace_id, object_type, record_id)
    if text is None:
        return None
    verdict = classify_text(session, workspace_id, text, embedder)
    row = InquiryClassification(
        workspace_id=workspace_id,
        object_type=object_type,
        record_id=record_id,
        text=text,
        label=verdict.label,
        confidence=round(verdict.confidence, 4),
        method=verdict.method,
        model_version=verdict.model_version,
        classified_at=now or clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def inquiry_text(
    session: Session, workspace_id: int, object_type: str, record_id: int
) -> str | None:
    """What the record asked: a ticket's subject and description; for a contact, the
    message of their latest form submission, else their latest ticket."""
    if object_type not in INQUIRY_OBJECTS:
        raise InvalidInputError(f"inquiries are tickets or contacts, not {object_type}")
    records = WorkspaceRepository(session, workspace_id)
    if object_type == "tickets":
        return _ticket_text(records.get(Ticket, record_id))
    contact = records.get(Contact, record_id)
    message = repository.latest_form_message(session, workspace_id, contact.id)
    if message is not None:
        return message
    ticket = repository.latest_ticket(session, workspace_id, contact.id)
    return _ticket_text(ticket) if ticket is not None else None


def _ticket_text(ticket: Ticket) -> str:
    return "\n".join(part for part in (ticket.subject, ticket.description) if part)


_models: dict[bytes, InquiryClassifier] = {}
_zero_shots: dict[tuple[str, tuple[tuple[str, str], ...]], ZeroShotClassifier] = {}


def _loaded(stored: InquiryModel) -> InquiryClassifier:
    """A stored model, read once per process (keyed by its bytes' digest)."""
    key = hashlib.sha256(stored.artefact).digest()
    if key not in _models:
        _models[key] = InquiryClassifier.from_bytes(stored.artefact)
    return _models[key]


def _zero_shot(labels: list[InquiryLabel], embedder: Embedder) -> ZeroShotClassifier:
    key = (embedder.name, tuple((label.name, label.description) for label in labels))
    if key not in _zero_shots:
        _zero_shots[key] = ZeroShotClassifier(embedder).fit(
            [label.name for label in labels], [label.description for label in labels]
        )
    return _zero_shots[key]
