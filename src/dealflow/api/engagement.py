"""Engagement events in batches: all stored, or none and every bad one named."""

from __future__ import annotations

from fastapi import APIRouter

from dealflow.api.deps import PrincipalDep, SessionDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.schemas.engagement import EngagementBatch, IngestResult
from dealflow.crm.engagement_ingest import EngagementInput, ingest_engagement

router = APIRouter(prefix="/engagement-events", tags=["engagement"], responses=ERROR_RESPONSES)


@router.post("", status_code=201)
def ingest(session: SessionDep, principal: PrincipalDep, batch: EngagementBatch) -> IngestResult:
    """Store page views, email opens, clicks, replies, forms and event visits of contacts
    you may see. A bad event rejects the whole batch; `fields` names each one as
    `events[<index>].<field>`."""
    ids = ingest_engagement(
        session,
        principal,
        [
            EngagementInput(
                contact_id=event.contact_id,
                kind=event.kind,
                occurred_at=event.occurred_at,
                url=event.url,
                properties=event.properties,
            )
            for event in batch.events
        ],
    )
    return IngestResult(ingested=len(ids), ids=ids)
