"""Stall detection: a deal has stalled when it has sat in its stage longer than won deals did.

For each open stage, the threshold is a percentile (default the 80th) of the time deals that
were later won spent in that stage. A stage that too few won deals passed through gets no
threshold, so nothing is flagged on thin evidence.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import numpy as np
from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from dealflow.crm import outbox
from dealflow.crm.bulk import BulkWriter
from dealflow.models import Deal, PropertyChange, Stage

DEAL_STALLED = "deal.stalled"
DEALS = cast(Table, Deal.__table__)
StageMoves = dict[int, list[tuple[int, datetime]]]
MIN_WON_DEALS = 10
"""Won deals a stage needs behind it before its threshold is trusted."""


@dataclass(frozen=True)
class StageThreshold:
    stage_id: int
    stage_name: str
    won_deals: int
    days: float | None
    """None when too few won deals passed through the stage."""


@dataclass(frozen=True)
class StallReport:
    thresholds: list[StageThreshold]
    open_deals: int
    stalled: int
    newly_stalled: int


def stage_thresholds(
    session: Session, workspace_id: int, *, percentile: float = 80.0
) -> list[StageThreshold]:
    """How long won deals stayed in each open stage, at the given percentile."""
    return _thresholds(session, workspace_id, _stage_moves(session, workspace_id), percentile)


def _thresholds(
    session: Session, workspace_id: int, moves_of: StageMoves, percentile: float
) -> list[StageThreshold]:
    stages = session.scalars(
        select(Stage).where(Stage.workspace_id == workspace_id).order_by(Stage.position)
    ).all()
    kind = {stage.id: stage.kind for stage in stages}
    won = session.execute(
        select(Deal.id, Deal.created_at).where(
            Deal.workspace_id == workspace_id,
            Deal.stage_id.in_([s.id for s in stages if s.kind == "won"]),
        )
    )
    created: dict[int, datetime] = dict(won.all())
    durations: dict[int, list[float]] = defaultdict(list)
    for deal_id, entered in created.items():
        for old_stage, changed_at in moves_of.get(deal_id, ()):
            if kind.get(old_stage) == "open":
                durations[old_stage].append((changed_at - entered).total_seconds() / 86_400)
            entered = changed_at
    return [
        StageThreshold(
            stage.id,
            stage.name,
            len(durations[stage.id]),
            float(np.percentile(durations[stage.id], percentile))
            if len(durations[stage.id]) >= MIN_WON_DEALS
            else None,
        )
        for stage in stages
        if stage.kind == "open"
    ]


def _stage_moves(session: Session, workspace_id: int) -> StageMoves:
    """Each deal's stage changes in time order: (stage left, when)."""
    rows = session.execute(
        select(PropertyChange.record_id, PropertyChange.old_value, PropertyChange.changed_at)
        .where(
            PropertyChange.workspace_id == workspace_id,
            PropertyChange.object_type == "deals",
            PropertyChange.property == "stage_id",
        )
        .order_by(PropertyChange.record_id, PropertyChange.changed_at, PropertyChange.id)
    ).all()
    moves: StageMoves = defaultdict(list)
    for deal_id, old_stage, changed_at in rows:
        moves[deal_id].append((old_stage, changed_at))
    return moves


def detect_stalls(
    session: Session, workspace_id: int, *, now: datetime, percentile: float = 80.0
) -> StallReport:
    """Mark open deals that overstayed their stage with ``stalled_since``; clear the rest.

    A deal that newly stalls emits ``deal.stalled``, so workflows can act on it.
    """
    moves_of = _stage_moves(session, workspace_id)
    thresholds = _thresholds(session, workspace_id, moves_of, percentile)
    limit = {t.stage_id: t.days for t in thresholds if t.days is not None}
    open_deals = session.execute(
        select(Deal.id, Deal.stage_id, Deal.created_at, Deal.stalled_since).where(
            Deal.workspace_id == workspace_id,
            Deal.stage_id.in_([t.stage_id for t in thresholds]),
        )
    ).all()
    changes: list[dict[str, object]] = []
    stalled = newly = 0
    for deal_id, stage_id, created_at, was_stalled_since in open_deals:
        since = None
        if stage_id in limit:
            moves = moves_of.get(deal_id)
            entered = moves[-1][1] if moves else created_at
            overdue = entered + timedelta(days=limit[stage_id])
            since = overdue if overdue <= now else None
        stalled += since is not None
        if since != was_stalled_since:
            changes.append({"id": deal_id, "stalled_since": since})
            if since is not None and was_stalled_since is None:
                newly += 1
                outbox.emit(
                    session,
                    workspace_id,
                    DEAL_STALLED,
                    "deals",
                    deal_id,
                    {"stage_id": stage_id, "stalled_since": since.isoformat()},
                    now,
                )
    BulkWriter(session, workspace_id, "stall_detection").update(DEALS, changes)
    return StallReport(thresholds, len(open_deals), stalled, newly)
