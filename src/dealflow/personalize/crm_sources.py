"""The CRM's fact sources: the contact and company, the deal, the last conversations,
recent behaviour, score reasons, questions the contact asked, and the sender."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from dealflow.models import Activity, Deal, DealContact, EngagementEvent, Stage, Ticket
from dealflow.models.base import RecordId, UtcDateTime
from dealflow.personalize.context import Fact, Subject, register_fact_source

LAST_ACTIVITIES = 3
RECENT_EVENTS = 5
BEHAVIOUR_WINDOW = timedelta(days=90)
LAST_QUESTIONS = 3
FORMS_READ = 10
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "job_title",
    "language",
    "lifecycle_stage",
    "lead_status",
    "city",
    "country",
    "source",
)
COMPANY_FIELDS = ("name", "industry", "employees", "city", "country", "domain")
EVENT_DETAILS = ("webinar", "event", "form", "campaign", "network")
QUESTION_FIELDS = ("message", "question", "comment")

# Statements built once (the sources run for every contact of a batch): bound per call.
_WORKSPACE = bindparam("workspace_id", type_=RecordId)
_CONTACT = bindparam("contact_id", type_=RecordId)
_AS_OF = bindparam("as_of", type_=UtcDateTime())
_SINCE = bindparam("since", type_=UtcDateTime())
LATEST_DEAL = (
    select(Deal)
    .join(DealContact, DealContact.deal_id == Deal.id)
    .where(DealContact.contact_id == _CONTACT, Deal.workspace_id == _WORKSPACE)
    .order_by(Deal.created_at.desc(), Deal.id.desc())
    .limit(1)
)
LAST_CONVERSATIONS = (
    select(Activity)
    .where(
        Activity.workspace_id == _WORKSPACE,
        Activity.contact_id == _CONTACT,
        Activity.kind.in_(("email", "call", "meeting", "note")),
        Activity.occurred_at <= _AS_OF,
    )
    .order_by(Activity.occurred_at.desc(), Activity.id.desc())
    .limit(LAST_ACTIVITIES)
)
RECENT_BEHAVIOUR = (
    select(EngagementEvent)
    .where(
        EngagementEvent.workspace_id == _WORKSPACE,
        EngagementEvent.contact_id == _CONTACT,
        EngagementEvent.occurred_at >= _SINCE,
        EngagementEvent.occurred_at <= _AS_OF,
    )
    .order_by(EngagementEvent.occurred_at.desc(), EngagementEvent.id.desc())
    .limit(RECENT_EVENTS)
)
LAST_TICKETS = (
    select(Ticket)
    .where(Ticket.workspace_id == _WORKSPACE, Ticket.contact_id == _CONTACT)
    .order_by(Ticket.created_at.desc(), Ticket.id.desc())
    .limit(LAST_QUESTIONS)
)
LAST_FORMS = (
    select(EngagementEvent)
    .where(
        EngagementEvent.workspace_id == _WORKSPACE,
        EngagementEvent.contact_id == _CONTACT,
        EngagementEvent.kind == "form_submit",
    )
    .order_by(EngagementEvent.occurred_at.desc())
    .limit(FORMS_READ)
)


def _params(subject: Subject) -> dict[str, Any]:
    return {
        "workspace_id": subject.workspace.id,
        "contact_id": subject.contact.id,
        "as_of": subject.as_of,
        "since": subject.as_of - BEHAVIOUR_WINDOW,
    }


def shown(value: Any) -> str:
    """A stored value as a draft would write it (``12000`` for Decimal 12000.00)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def _record_facts(
    object_type: str, prefix: str, record: Any, fields: tuple[str, ...]
) -> list[Fact]:
    facts = []
    for name in fields:
        value = getattr(record, name)
        if value is not None and value != "":
            facts.append(Fact(f"{prefix}.{name}", shown(value), object_type, record.id, name))
    return facts


class ContactSource:
    """The contact's own fields: name, role, language, lifecycle, location."""

    name = "contact"

    def facts(self, session: Session, subject: Subject) -> list[Fact]:
        return _record_facts("contacts", "contact", subject.contact, CONTACT_FIELDS)


class CompanySource:
    """The contact's company: name, industry, size, location, domain."""

    name = "company"

    def facts(self, session: Session, subject: Subject) -> list[Fact]:
        if subject.company is None:
            return []
        return _record_facts("companies", "company", subject.company, COMPANY_FIELDS)


class DealSource:
    """The deal (the one asked for, else the contact's latest): name, stage, amount, close."""

    name = "deal"

    def facts(self, session: Session, subject: Subject) -> list[Fact]:
        deal = subject.deal or _latest_deal(session, subject)
        if deal is None:
            return []
        subject.deal = deal
        stage = session.get(Stage, deal.stage_id)
        facts = _record_facts("deals", "deal", deal, ("name", "amount", "close_date"))
        if deal.amount is not None:
            facts.append(Fact("deal.currency", deal.currency, "deals", deal.id, "currency"))
        if stage is not None:
            facts.append(
                Fact("deal.stage", stage.name, "deals", deal.id, "stage_id", detail=stage.kind)
            )
        return facts


def _latest_deal(session: Session, subject: Subject) -> Deal | None:
    return session.scalars(LATEST_DEAL, _params(subject)).first()


class ConversationSource:
    """The last emails, calls, meetings and notes with the contact (not open tasks)."""

    name = "conversations"

    def facts(self, session: Session, subject: Subject) -> list[Fact]:
        rows = session.scalars(LAST_CONVERSATIONS, _params(subject)).all()
        return [
            Fact(
                f"conversation.{row.kind}",
                row.subject or row.kind,
                "activities",
                row.id,
                "subject",
                detail=f"{row.occurred_at:%Y-%m-%d}",
                at=row.occurred_at,
            )
            for row in rows
        ]


class BehaviourSource:
    """Recent engagement: webinars, events, forms, clicks (what it was and when)."""

    name = "behaviour"

    def facts(self, session: Session, subject: Subject) -> list[Fact]:
        rows = session.scalars(RECENT_BEHAVIOUR, _params(subject)).all()
        facts = []
        for row in rows:
            properties = row.properties or {}
            named = next((k for k in EVENT_DETAILS if properties.get(k)), None)
            value = str(properties[named]) if named else (row.url or row.kind)
            field = f"properties.{named}" if named else ("url" if row.url else "kind")
            facts.append(
                Fact(
                    f"behaviour.{row.kind}",
                    value,
                    "engagement_events",
                    row.id,
                    field,
                    detail=f"{row.occurred_at:%Y-%m-%d}",
                    at=row.occurred_at,
                )
            )
        return facts


class ScoreSource:
    """The lead score, its band and its top reasons (for choosing an angle; internal)."""

    name = "score"

    def facts(self, session: Session, subject: Subject) -> list[Fact]:
        contact = subject.contact
        facts = _record_facts("contacts", "score", contact, ("score", "score_band"))
        for i, reason in enumerate(contact.score_reasons or []):
            text = reason.get("text") or reason.get("label") or reason.get("feature")
            if text:
                facts.append(
                    Fact("score.reason", str(text), "contacts", contact.id, f"score_reasons[{i}]")
                )
        return facts


class QuestionSource:
    """What the contact asked: ticket subjects, and questions typed into forms."""

    name = "questions"

    def facts(self, session: Session, subject: Subject) -> list[Fact]:
        tickets = session.scalars(LAST_TICKETS, _params(subject)).all()
        facts = [
            Fact(
                "question.ticket",
                row.subject,
                "tickets",
                row.id,
                "subject",
                detail=f"{row.created_at:%Y-%m-%d}",
                at=row.created_at,
            )
            for row in tickets
        ]
        forms = session.scalars(LAST_FORMS, _params(subject)).all()
        asked = [row for row in forms if _question_field(row.properties)][:LAST_QUESTIONS]
        for row in asked:
            properties = row.properties or {}
            named = _question_field(properties) or ""
            facts.append(
                Fact(
                    "question.form",
                    str(properties[named]),
                    "engagement_events",
                    row.id,
                    f"properties.{named}",
                    at=row.occurred_at,
                )
            )
        return facts


def _question_field(properties: dict[str, Any] | None) -> str | None:
    return next((k for k in QUESTION_FIELDS if (properties or {}).get(k)), None)


class SenderSource:
    """Who writes: the contact's owner and the workspace (the seller's company)."""

    name = "sender"

    def facts(self, session: Session, subject: Subject) -> list[Fact]:
        facts = [
            Fact(
                "sender.company", subject.workspace.name, "workspaces", subject.workspace.id, "name"
            )
        ]
        if subject.sender is not None:
            facts.append(
                Fact("sender.name", subject.sender.name, "users", subject.sender.id, "name")
            )
            if subject.sender.email:
                facts.append(
                    Fact("sender.email", subject.sender.email, "users", subject.sender.id, "email")
                )
        return facts


CRM_SOURCES = (
    ContactSource(),
    CompanySource(),
    DealSource(),
    ConversationSource(),
    BehaviourSource(),
    ScoreSource(),
    QuestionSource(),
    SenderSource(),
)

for _source in CRM_SOURCES:
    register_fact_source(_source)
