"""Engagement events arriving in batches (from a website tracker, an email tool, a form
service): checked as a whole, stored all together with the bulk writer, or not at all."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core.errors import InvalidFieldsError
from dealflow.crm import access, outbox
from dealflow.crm.access import Principal
from dealflow.crm.bulk import BulkWriter
from dealflow.crm.objects import ENGAGEMENT_KINDS
from dealflow.models import Contact, EngagementEvent

MAX_BATCH = 1000
MAX_URL_LENGTH = 2000


@dataclass(frozen=True)
class EngagementInput:
    """One event as sent: whose it is, what kind, when, and what it was about."""

    contact_id: int
    kind: str
    occurred_at: datetime
    url: str | None = None
    properties: Mapping[str, Any] = field(default_factory=dict)


def ingest_engagement(
    session: Session, principal: Principal, events: Sequence[EngagementInput], source: str = "api"
) -> list[int]:
    """Store ``events`` (each emits ``engagement.recorded``); returns their ids in order.

    Nothing is stored when any event is bad: InvalidFieldsError names each one as
    ``events[<index>].<field>``. Events may only be about contacts ``principal`` can see.
    """
    if len(events) > MAX_BATCH:
        raise InvalidFieldsError([("events", f"send at most {MAX_BATCH} events per batch")])
    companies = _visible_contacts(session, principal, {event.contact_id for event in events})
    problems = [
        problem
        for index, event in enumerate(events)
        for problem in _problems(index, event, companies)
    ]
    if problems:
        raise InvalidFieldsError(problems)
    writer = BulkWriter(session, principal.workspace_id, source)
    rows = [
        {
            "kind": event.kind,
            "occurred_at": event.occurred_at,
            "contact_id": event.contact_id,
            "company_id": companies[event.contact_id],
            "url": event.url,
            "properties": dict(event.properties),
        }
        for event in events
    ]
    ids = writer.insert(EngagementEvent.__table__, rows)  # type: ignore[arg-type]
    writer.events(
        [
            (
                outbox.ENGAGEMENT_RECORDED,
                "contacts",
                event.contact_id,
                {"event_id": event_id, "kind": event.kind, "url": event.url},
                event.occurred_at,
            )
            for event_id, event in zip(ids, events, strict=True)
        ]
    )
    return ids


def _visible_contacts(
    session: Session, principal: Principal, contact_ids: set[int]
) -> dict[int, int | None]:
    """Company id of each of ``contact_ids`` that ``principal`` can see."""
    if not contact_ids:
        return {}
    rows = session.execute(
        select(Contact.id, Contact.company_id).where(
            Contact.id.in_(contact_ids), access.visible(principal, "contacts")
        )
    )
    return {row.id: row.company_id for row in rows}


def _problems(
    index: int, event: EngagementInput, companies: Mapping[int, int | None]
) -> list[tuple[str, str]]:
    where = f"events[{index}]"
    problems = []
    if event.contact_id not in companies:
        problems.append((f"{where}.contact_id", f"contact #{event.contact_id} not found"))
    if event.kind not in ENGAGEMENT_KINDS:
        problems.append((f"{where}.kind", f"not one of: {', '.join(ENGAGEMENT_KINDS)}"))
    if event.occurred_at.tzinfo is None:
        problems.append((f"{where}.occurred_at", "give a time zone (e.g. 2026-03-02T09:00Z)"))
    if event.url is not None and len(event.url) > MAX_URL_LENGTH:
        problems.append((f"{where}.url", f"at most {MAX_URL_LENGTH} characters"))
    return problems
