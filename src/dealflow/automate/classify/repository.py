"""Every query of inquiry classification, filtered by workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.models import (
    EngagementEvent,
    InquiryClassification,
    InquiryFeedback,
    InquiryLabel,
    InquiryModel,
    Ticket,
)


def labels_of(session: Session, workspace_id: int) -> Sequence[InquiryLabel]:
    """The workspace's labels, in the order they were defined."""
    return session.scalars(
        select(InquiryLabel)
        .where(InquiryLabel.workspace_id == workspace_id)
        .order_by(InquiryLabel.id)
    ).all()


def latest_model(session: Session, workspace_id: int) -> InquiryModel | None:
    return session.scalar(
        select(InquiryModel)
        .where(InquiryModel.workspace_id == workspace_id)
        .order_by(InquiryModel.version.desc())
        .limit(1)
    )


def next_model_version(session: Session, workspace_id: int) -> int:
    latest = session.scalar(
        select(func.max(InquiryModel.version)).where(InquiryModel.workspace_id == workspace_id)
    )
    return int(latest or 0) + 1


def training_feedback(session: Session, workspace_id: int) -> list[InquiryFeedback]:
    """Every label people gave; for a record labelled more than once, only the latest."""
    rows = session.scalars(
        select(InquiryFeedback)
        .where(InquiryFeedback.workspace_id == workspace_id)
        .order_by(InquiryFeedback.given_at, InquiryFeedback.id)
    ).all()
    latest: dict[object, InquiryFeedback] = {}
    for row in rows:
        key = (row.object_type, row.record_id) if row.record_id is not None else ("row", row.id)
        latest[key] = row
    return list(latest.values())


def latest_classification(
    session: Session, workspace_id: int, object_type: str, record_id: int
) -> InquiryClassification | None:
    return session.scalar(
        select(InquiryClassification)
        .where(
            InquiryClassification.workspace_id == workspace_id,
            InquiryClassification.object_type == object_type,
            InquiryClassification.record_id == record_id,
        )
        .order_by(InquiryClassification.classified_at.desc(), InquiryClassification.id.desc())
        .limit(1)
    )


def latest_form_message(session: Session, workspace_id: int, contact_id: int) -> str | None:
    """The message of the contact's latest form submission that had one."""
    for properties in session.scalars(
        select(EngagementEvent.properties)
        .where(
            EngagementEvent.workspace_id == workspace_id,
            EngagementEvent.contact_id == contact_id,
            EngagementEvent.kind == "form_submit",
        )
        .order_by(EngagementEvent.occurred_at.desc(), EngagementEvent.id.desc())
        .limit(20)
    ):
        message = (properties or {}).get("message")
        if isinstance(message, str) and message.strip():
            return message
    return None


def latest_ticket(session: Session, workspace_id: int, contact_id: int) -> Ticket | None:
    return session.scalar(
        select(Ticket)
        .where(Ticket.workspace_id == workspace_id, Ticket.contact_id == contact_id)
        .order_by(Ticket.created_at.desc(), Ticket.id.desc())
        .limit(1)
    )
