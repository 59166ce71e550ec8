"""Labels, labelled inquiries, corrections, training and classification in a workspace."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from dealflow.automate.classify import service
from dealflow.core.errors import InvalidInputError
from dealflow.models import Workspace
from tests.automate.classify.conftest import RememberingEmbedder
from tests.automate.classify.inquiries import inquiries
from tests.factories import make_contact, make_ticket


def label_all(session: Session, workspace: Workspace) -> None:
    for text, label, _ in inquiries(range(2)):
        service.add_labelled(session, workspace.id, text, label)


def test_a_new_workspace_gets_the_default_labels_and_zero_shot_answers(
    session: Session, workspace: Workspace, embedder: RememberingEmbedder
) -> None:
    ticket = make_ticket(
        session,
        workspace,
        subject="Price list please",
        description="Could you send us a quote and your prices for 50 licences?",
    )

    row = service.classify_record(session, workspace.id, "tickets", ticket.id, embedder)

    assert row is not None
    assert (row.label, row.method, row.model_version) == ("sales_inquiry", "zero_shot", None)
    assert 0 < row.confidence <= 1
    assert service.label_names(session, workspace.id) == [
        "sales_inquiry", "support", "billing", "partnership", "spam", "other"
    ]  # fmt: skip


def test_training_learns_the_labelled_inquiries_and_keeps_the_version(
    session: Session, workspace: Workspace, embedder: RememberingEmbedder
) -> None:
    label_all(session, workspace)

    model = service.train(session, workspace.id, embedder)

    assert (model.version, model.labels) == (
        1, {"sales_inquiry": 16, "support": 16, "billing": 16}
    )  # fmt: skip
    ticket = make_ticket(
        session,
        workspace,
        subject="請求について",
        description="請求書7番で二重に請求されました。返金してください。",
    )
    row = service.classify_record(session, workspace.id, "tickets", ticket.id, embedder)
    assert row is not None
    assert (row.label, row.method, row.model_version) == ("billing", "model", 1)


def test_a_correction_is_kept_against_the_classification_and_learned_next_time(
    session: Session, workspace: Workspace, embedder: RememberingEmbedder
) -> None:
    label_all(session, workspace)
    service.train(session, workspace.id, embedder)
    ticket = make_ticket(
        session, workspace, subject="Question", description="Can we extend the contract by a year?"
    )
    first = service.classify_record(session, workspace.id, "tickets", ticket.id, embedder)
    assert first is not None

    feedback = service.correct(session, workspace.id, "tickets", ticket.id, "billing")
    retrained = service.train(session, workspace.id, embedder)

    assert (feedback.corrects_id, feedback.label, feedback.text) == (
        first.id, "billing", "Question\nCan we extend the contract by a year?"
    )  # fmt: skip
    assert (retrained.version, retrained.labels["billing"]) == (2, 17)


def test_a_contacts_inquiry_is_their_latest_form_message(
    session: Session, workspace: Workspace
) -> None:
    from dealflow.crm import service as crm

    contact = make_contact(session, workspace)
    assert service.inquiry_text(session, workspace.id, "contacts", contact.id) is None
    crm.record_engagement(
        session, workspace.id, contact.id, "form_submit", properties={"message": "Hello"}
    )
    crm.record_engagement(session, workspace.id, contact.id, "form_submit")

    assert service.inquiry_text(session, workspace.id, "contacts", contact.id) == "Hello"


def test_mistakes_are_named(
    session: Session, workspace: Workspace, embedder: RememberingEmbedder
) -> None:
    with pytest.raises(InvalidInputError, match="unknown label 'sales'; labels: sales_inquiry"):
        service.add_labelled(session, workspace.id, "Buy", "sales")
    service.add_labelled(session, workspace.id, "Buy now", "sales_inquiry")
    service.add_labelled(session, workspace.id, "Buy more", "sales_inquiry")
    with pytest.raises(InvalidInputError, match=r"two labels or more; .*\{'sales_inquiry': 2\}"):
        service.train(session, workspace.id, embedder)
    with pytest.raises(InvalidInputError, match="inquiries are tickets or contacts, not deals"):
        service.inquiry_text(session, workspace.id, "deals", 1)
