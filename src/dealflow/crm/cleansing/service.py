"""The cleansing agent's changesets: run (propose, and apply what policy allows), list,
apply, reject and undo. Every applied change keeps a journal of the rows it wrote, so undo
restores them exactly, merges included. Services never commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import ConflictError, InvalidInputError, NotFoundError
from dealflow.crm import outbox, service
from dealflow.crm.cleansing import journal as journals
from dealflow.crm.cleansing.merge import MERGEABLE, do_merge, plan_merge
from dealflow.crm.cleansing.proposals import Proposal, propose
from dealflow.crm.history import Change, record_changes
from dealflow.crm.objects import object_spec
from dealflow.crm.quality.service import Diagnosis
from dealflow.models import Changeset, ChangesetItem, Workspace

AUTO_APPLY_CONFIDENCE = 0.95
"""Changes at least this sure are applied without review when the policy allows."""
PROPOSED, APPLIED, REJECTED, UNDONE, SKIPPED = (
    "proposed",
    "applied",
    "rejected",
    "undone",
    "skipped",
)
KINDS = ("merge", "normalise")
SOURCE = "cleanse"


@dataclass(frozen=True)
class Policy:
    """What a run may apply on its own: changes at least ``auto_apply_confidence`` sure,
    or none when ``auto_apply`` is off."""

    auto_apply: bool = True
    auto_apply_confidence: float = AUTO_APPLY_CONFIDENCE


def run_agent(
    session: Session,
    workspace: Workspace,
    *,
    now: datetime,
    policy: Policy | None = None,
    origin: str = "cli",
    actor_id: int | None = None,
    diagnosis: Diagnosis | None = None,
) -> Changeset:
    """Propose every change the agent finds as one changeset, and apply the sure ones.
    ``diagnosis``, when just made, gives the score before and the duplicates it found."""
    policy = policy or Policy()
    proposals = propose(session, workspace, diagnosis.duplicates if diagnosis else None)
    score_before = diagnosis.score if diagnosis else None
    changeset = Changeset(
        workspace_id=workspace.id,
        status=PROPOSED,
        origin=origin,
        created_at=now,
        score_before=score_before,
        summary={},
    )
    session.add(changeset)
    session.flush()
    for position, proposal in enumerate(proposals):
        session.add(_item(workspace.id, changeset.id, position, proposal))
    session.flush()
    if policy.auto_apply:
        sure = [
            i.id
            for i in items_of(session, changeset)
            if i.confidence >= policy.auto_apply_confidence
        ]
        if sure:
            apply_changeset(
                session, workspace.id, changeset.id, now=now, item_ids=sure, actor_id=actor_id
            )
    changeset.summary = _summary(items_of(session, changeset))
    return changeset


def _item(workspace_id: int, changeset_id: int, position: int, p: Proposal) -> ChangesetItem:
    return ChangesetItem(
        workspace_id=workspace_id,
        changeset_id=changeset_id,
        position=position,
        kind=p.kind,
        object_type=p.object_type,
        record_id=p.record_id,
        property=p.property,
        old_value=journals.encode(p.old),
        new_value=journals.encode(p.new),
        confidence=p.confidence,
        reason=p.reason,
        status=PROPOSED,
        details=p.details,
        journal=[],
    )


def _summary(items: Sequence[ChangesetItem]) -> dict[str, int]:
    summary: dict[str, int] = {}
    for item in items:
        summary[f"{item.kind}_{item.status}"] = summary.get(f"{item.kind}_{item.status}", 0) + 1
    return summary


def list_changesets(session: Session, workspace_id: int, limit: int = 50) -> list[Changeset]:
    return list(
        session.scalars(
            select(Changeset)
            .where(Changeset.workspace_id == workspace_id)
            .order_by(Changeset.id.desc())
            .limit(limit)
        )
    )


def get_changeset(session: Session, workspace_id: int, changeset_id: int) -> Changeset:
    changeset = session.get(Changeset, changeset_id)
    if changeset is None or changeset.workspace_id != workspace_id:
        raise NotFoundError(f"changeset {changeset_id} not found in this workspace")
    return changeset


def items_of(session: Session, changeset: Changeset) -> list[ChangesetItem]:
    return list(
        session.scalars(
            select(ChangesetItem)
            .where(ChangesetItem.changeset_id == changeset.id)
            .order_by(ChangesetItem.position)
        )
    )


def apply_changeset(
    session: Session,
    workspace_id: int,
    changeset_id: int,
    *,
    now: datetime,
    only: Sequence[str] = (),
    item_ids: Sequence[int] = (),
    actor_id: int | None = None,
) -> Changeset:
    """Apply the proposed items (only those of kinds ``only`` or ids ``item_ids`` when
    given). An item whose record changed since it was proposed is skipped, not forced."""
    for kind in only:
        if kind not in KINDS:
            raise InvalidInputError(f"--only takes {' or '.join(KINDS)}, not {kind!r}")
    changeset = get_changeset(session, workspace_id, changeset_id)
    if changeset.status in (REJECTED, UNDONE):
        raise ConflictError(f"changeset {changeset_id} is {changeset.status}; run the agent again")
    for item in items_of(session, changeset):
        if (
            item.status != PROPOSED
            or (only and item.kind not in only)
            or (item_ids and item.id not in item_ids)
        ):
            continue
        journal = journals.Journal(session)
        if item.kind == "merge":
            applied = _apply_merge(session, workspace_id, item, journal, now, actor_id)
        else:
            applied = _apply_value(session, workspace_id, item, journal, actor_id)
        item.status = APPLIED if applied else SKIPPED
        item.journal = journal.entries
        session.flush()
    changeset = get_changeset(session, workspace_id, changeset_id)
    items = items_of(session, changeset)
    if any(i.status == APPLIED for i in items):
        # after every write: a record updated later than this was changed by someone else
        changeset.status, changeset.applied_at = APPLIED, clock.now()
        changeset.decided_by = actor_id
    changeset.summary = _summary(items)
    return changeset


def _apply_value(
    session: Session,
    workspace_id: int,
    item: ChangesetItem,
    journal: journals.Journal,
    actor_id: int | None,
) -> bool:
    model = object_spec(item.object_type).model
    record: Any = session.get(model, item.record_id)
    old = journals.decode(item.old_value)
    if (
        record is None
        or record.workspace_id != workspace_id
        or getattr(record, item.property or "") != old
    ):
        return False
    journal.remember(model.__table__, {"id": item.record_id})  # type: ignore[arg-type]
    service.update_record(
        session,
        workspace_id,
        item.object_type,
        item.record_id,
        {item.property or "": journals.decode(item.new_value)},
        source=SOURCE,
        actor_id=actor_id,
    )
    return True


def _apply_merge(
    session: Session,
    workspace_id: int,
    item: ChangesetItem,
    journal: journals.Journal,
    now: datetime,
    actor_id: int | None,
) -> bool:
    table = journals.table_named(MERGEABLE[item.object_type])
    ids = [int(i) for i in item.details.get("record_ids", [])]
    present = session.scalars(
        select(table.c.id).where(table.c.workspace_id == workspace_id, table.c.id.in_(ids))
    ).all()
    if len(present) != len(ids):
        return False
    plan = plan_merge(
        session,
        workspace_id,
        item.object_type,
        ids,
        rule=str(item.details.get("rule", "most_recent")),
        survivor_id=item.details.get("survivor_id"),
        chosen=item.details.get("chosen"),
    )
    moved = do_merge(
        session, workspace_id, plan, journal, now=now, actor_id=actor_id, source=SOURCE
    )
    item.details = {
        **item.details,
        "survivor_id": plan.survivor_id,
        "moved": moved,
        "sources": plan.sources,
    }
    item.record_id = plan.survivor_id
    return True


def reject_changeset(
    session: Session, workspace_id: int, changeset_id: int, *, actor_id: int | None = None
) -> Changeset:
    """Turn down every item still waiting for review."""
    changeset = get_changeset(session, workspace_id, changeset_id)
    items = items_of(session, changeset)
    for item in items:
        if item.status == PROPOSED:
            item.status = REJECTED
    if not any(i.status == APPLIED for i in items):
        changeset.status = REJECTED
    changeset.decided_by = actor_id
    changeset.summary = _summary(items)
    return changeset


def undo_changeset(
    session: Session,
    workspace_id: int,
    changeset_id: int,
    *,
    now: datetime,
    actor_id: int | None = None,
) -> Changeset:
    """Put every row the changeset's applied items wrote back as it was (newest first); the
    history keeps both the change and its undoing."""
    changeset = get_changeset(session, workspace_id, changeset_id)
    if changeset.status != APPLIED:
        raise ConflictError(
            f"changeset {changeset_id} is {changeset.status}, not applied: nothing to undo"
        )
    later = _changed_since(session, workspace_id, changeset)
    if later:
        raise ConflictError(
            f"changeset {changeset_id} cannot be undone: {later} changed after it was applied"
        )
    items = [i for i in items_of(session, changeset) if i.status == APPLIED]
    for item in reversed(items):
        journals.undo(session, item.journal)
        if item.kind == "normalise":
            change = Change(
                item.property or "",
                journals.decode(item.new_value),
                journals.decode(item.old_value),
            )
            record_changes(
                session,
                workspace_id,
                item.object_type,
                item.record_id,
                [change],
                changed_at=now,
                changed_by=actor_id,
                source=f"{SOURCE}-undo",
            )
        else:
            outbox.emit(
                session,
                workspace_id,
                "record.unmerged",
                item.object_type,
                item.record_id,
                {"record_ids": item.details.get("record_ids", []), "changeset_id": changeset_id},
                now,
            )
        item.status = UNDONE
    session.flush()
    session.expire_all()  # the rows were written under the loaded objects
    changeset = get_changeset(session, workspace_id, changeset_id)
    changeset.status, changeset.undone_at = UNDONE, now
    changeset.summary = _summary(items_of(session, changeset))
    return changeset


def _changed_since(session: Session, workspace_id: int, changeset: Changeset) -> str | None:
    """A record the changeset wrote that someone changed after it (undo would undo them too)."""
    if changeset.applied_at is None:
        return None
    for item in items_of(session, changeset):
        if item.status != APPLIED:
            continue
        model = object_spec(item.object_type).model
        record = session.get(model, item.record_id)
        updated = getattr(record, "updated_at", None)
        if updated is not None and updated > changeset.applied_at:
            return f"{item.object_type} {item.record_id}"
    return None
