"""Factory functions for CRM records, built on the real service (history, events, checks).

Each takes the session and the workspace, fills in what a test does not care about with
unique values, and lets the test override any field.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.crm import service
from dealflow.crm.workspaces import default_pipeline, stages_of
from dealflow.models import (
    Company,
    Contact,
    Deal,
    OutboxEvent,
    Stage,
    Ticket,
    User,
    Workspace,
)

_serial = itertools.count(1)


def _next() -> int:
    return next(_serial)


def make_user(session: Session, workspace: Workspace, **overrides: Any) -> User:
    n = _next()
    fields = {"name": f"Rep {n}", "email": f"rep{n}@dealflow.test", **overrides}
    user: User = service.create_record(session, workspace.id, "users", fields)
    return user


def make_company(session: Session, workspace: Workspace, **overrides: Any) -> Company:
    n = _next()
    fields = {"name": f"Company {n}", "domain": f"company{n}.example", **overrides}
    company: Company = service.create_record(session, workspace.id, "companies", fields)
    return company


def make_contact(session: Session, workspace: Workspace, **overrides: Any) -> Contact:
    n = _next()
    fields = {
        "first_name": "Ada",
        "last_name": f"Lovelace {n}",
        "email": f"ada{n}@example.com",
        **overrides,
    }
    contact: Contact = service.create_record(session, workspace.id, "contacts", fields)
    return contact


def make_deal(session: Session, workspace: Workspace, **overrides: Any) -> Deal:
    n = _next()
    fields = {"name": f"Deal {n}", "amount": Decimal("1000.00"), **overrides}
    deal: Deal = service.create_record(session, workspace.id, "deals", fields)
    return deal


def make_ticket(session: Session, workspace: Workspace, **overrides: Any) -> Ticket:
    fields = {"subject": f"Ticket {_next()}", **overrides}
    ticket: Ticket = service.create_record(session, workspace.id, "tickets", fields)
    return ticket


def stage_named(session: Session, workspace: Workspace, name: str) -> Stage:
    """A stage of the workspace's default pipeline, by name ("Closed won")."""
    pipeline = default_pipeline(session, workspace.id)
    return next(stage for stage in stages_of(session, pipeline.id) if stage.name == name)


def events_of(session: Session, workspace: Workspace, topic: str) -> list[OutboxEvent]:
    """The workspace's outbox events of one topic, oldest first."""
    return list(
        session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.workspace_id == workspace.id, OutboxEvent.topic == topic)
            .order_by(OutboxEvent.id)
        )
    )
