"""Record counts per object type in a workspace."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.models import (
    Activity,
    Base,
    Company,
    Contact,
    Deal,
    EngagementEvent,
    Pipeline,
    Product,
    PropertyChange,
    Team,
    Ticket,
    User,
)

COUNTED: dict[str, type[Base]] = {
    "companies": Company,
    "contacts": Contact,
    "deals": Deal,
    "users": User,
    "teams": Team,
    "products": Product,
    "pipelines": Pipeline,
    "tickets": Ticket,
    "activities": Activity,
    "engagement_events": EngagementEvent,
    "property_changes": PropertyChange,
}


def record_counts(session: Session, workspace_id: int) -> dict[str, int]:
    """``{"companies": N, "contacts": N, ...}`` for one workspace."""
    counts = {}
    for name, model in COUNTED.items():
        table = model.__table__
        statement = (
            select(func.count()).select_from(table).where(table.c.workspace_id == workspace_id)
        )
        counts[name] = int(session.execute(statement).scalar_one())
    return counts
