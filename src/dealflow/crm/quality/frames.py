"""A workspace's records as data frames: the columns the diagnosis reads, one query each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.models import (
    Activity,
    Company,
    Contact,
    Deal,
    DealContact,
    EngagementEvent,
    Product,
    PropertyChange,
    Stage,
    Workspace,
)

MODELS = {"contacts": Contact, "companies": Company, "deals": Deal, "products": Product}
CLEANSING_SOURCES = ("cleanse", "cleanse-undo")
EXTRA_COLUMNS = {
    "contacts": ("lifecycle_stage", "company_id", "created_at", "updated_at"),
    "companies": ("city", "year_established", "created_at", "updated_at", "properties"),
    "deals": ("name", "company_id", "stage_id", "closed_at", "created_at", "updated_at"),
    "products": ("name", "price"),
}


@dataclass
class WorkspaceFrames:
    """Each object's records, the deals' stage kinds, and each contact's last activity."""

    workspace: Workspace
    frames: dict[str, pd.DataFrame]
    last_activity: pd.Series
    """Per contact id, when they last had an activity or engagement event."""
    won_contacts: set[int]
    won_companies: set[int]
    last_change: dict[str, pd.Series]
    """Per object type and record id, when a person or an import last changed it (the
    cleansing agent's own writes left out, so cleaning a record does not make it fresh)."""

    def of(self, object_type: str) -> pd.DataFrame:
        return self.frames[object_type]


def read_frames(
    session: Session, workspace: Workspace, key_properties: dict[str, tuple[str, ...]]
) -> WorkspaceFrames:
    """Load what the checks need in a few queries per object."""
    frames: dict[str, pd.DataFrame] = {}
    for object_type, model in MODELS.items():
        table = model.__table__
        wanted = ["id", *key_properties.get(object_type, ()), *EXTRA_COLUMNS[object_type]]
        names = [n for n in dict.fromkeys(wanted) if n in table.c]
        rows = session.execute(
            select(*(table.c[n] for n in names)).where(table.c.workspace_id == workspace.id)
        ).all()
        frames[object_type] = pd.DataFrame(rows, columns=names)
    deals = frames["deals"]
    kinds = dict(
        session.execute(
            select(Stage.id, Stage.kind).where(Stage.workspace_id == workspace.id)
        ).all()
    )
    deals["stage_kind"] = deals["stage_id"].map(kinds) if len(deals) else pd.Series(dtype=object)
    won_ids = deals.loc[deals["stage_kind"] == "won", "id"].tolist() if len(deals) else []
    won_contacts = {
        int(c)
        for c in session.scalars(
            select(DealContact.contact_id).where(
                DealContact.workspace_id == workspace.id, DealContact.deal_id.in_(won_ids)
            )
        )
    } if won_ids else set()  # fmt: skip
    won_companies = {int(c) for c in deals.loc[deals["stage_kind"] == "won", "company_id"].dropna()}
    changes = {
        o: _last_change(session, workspace.id, o) for o in ("contacts", "companies", "deals")
    }
    return WorkspaceFrames(
        workspace,
        frames,
        _last_activity(session, workspace.id),
        won_contacts,
        won_companies,
        changes,
    )


def _last_change(session: Session, workspace_id: int, object_type: str) -> pd.Series:
    statement = (
        select(PropertyChange.record_id, func.max(PropertyChange.changed_at))
        .where(
            PropertyChange.workspace_id == workspace_id,
            PropertyChange.object_type == object_type,
            PropertyChange.source.not_in(CLEANSING_SOURCES),
        )
        .group_by(PropertyChange.record_id)
    )
    return pd.Series({int(i): _aware(at) for i, at in session.execute(statement)}, dtype=object)


def _last_activity(session: Session, workspace_id: int) -> pd.Series:
    latest: dict[int, datetime] = {}
    for model in (Activity, EngagementEvent):
        statement = (
            select(model.contact_id, func.max(model.occurred_at))
            .where(model.workspace_id == workspace_id, model.contact_id.is_not(None))
            .group_by(model.contact_id)
        )
        for contact_id, at in session.execute(statement):
            moment = _aware(at)
            key = int(contact_id or 0)
            if key not in latest or moment > latest[key]:
                latest[key] = moment
    return pd.Series(latest, dtype=object)


def _aware(value: datetime | str) -> datetime:
    """max() of a timestamp comes back as text on SQLite and naive there; UTC-aware always."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
