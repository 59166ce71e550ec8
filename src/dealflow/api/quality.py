"""Data quality: the workspace's diagnosis and its history, and the cleansing agent's
changesets (run, read, apply, reject, undo)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path

from dealflow.api.deps import PrincipalDep, SessionDep
from dealflow.api.errors import ERROR_RESPONSES
from dealflow.api.schemas.common import MAX_ID
from dealflow.api.schemas.quality import (
    ApplyIn,
    ChangeOut,
    ChangesetDetailOut,
    ChangesetOut,
    DiagnosisOut,
    RunIn,
    SnapshotOut,
)
from dealflow.core.clock import now
from dealflow.crm.cleansing import workspace_cleansing as cleansing
from dealflow.crm.cleansing.journal import decode
from dealflow.models import ChangesetItem

router = APIRouter(tags=["quality"], responses=ERROR_RESPONSES)
ChangesetId = Annotated[int, Path(ge=1, le=MAX_ID)]


@router.get("/quality")
def read_quality(session: SessionDep, principal: PrincipalDep) -> DiagnosisOut:
    """The diagnosis now (admins and managers): score, dimensions, problems worst first."""
    return DiagnosisOut.model_validate(
        cleansing.workspace_diagnosis(session, principal, now=now()).as_dict()
    )


@router.get("/quality/history")
def read_quality_history(session: SessionDep, principal: PrincipalDep) -> list[SnapshotOut]:
    """The recorded scores, oldest first."""
    return [SnapshotOut.model_validate(s) for s in cleansing.quality_history(session, principal)]


@router.post("/cleanse/changesets", status_code=201)
def run_agent(
    session: SessionDep, principal: PrincipalDep, run: Annotated[RunIn, Body()] = RunIn()
) -> ChangesetOut:
    """Run the cleansing agent now (admins); sure changes are applied unless auto_apply is off."""
    return ChangesetOut.model_validate(
        cleansing.run_cleansing(session, principal, now=now(), auto_apply=run.auto_apply)
    )


@router.get("/cleanse/changesets")
def list_changesets(session: SessionDep, principal: PrincipalDep) -> list[ChangesetOut]:
    return [ChangesetOut.model_validate(c) for c in cleansing.changesets(session, principal)]


@router.get("/cleanse/changesets/{changeset_id}")
def read_changeset(
    session: SessionDep, principal: PrincipalDep, changeset_id: ChangesetId
) -> ChangesetDetailOut:
    changeset, items = cleansing.changeset_with_items(session, principal, changeset_id)
    return ChangesetDetailOut(
        changeset=ChangesetOut.model_validate(changeset), items=[_item(i) for i in items]
    )


@router.post("/cleanse/changesets/{changeset_id}/apply")
def apply_changeset(
    session: SessionDep,
    principal: PrincipalDep,
    changeset_id: ChangesetId,
    choice: Annotated[ApplyIn, Body()] = ApplyIn(),
) -> ChangesetOut:
    """Apply the items waiting for review (admins), all or only some kinds or ids."""
    changeset = cleansing.apply_changes(
        session, principal, changeset_id, now=now(), only=choice.only, item_ids=choice.item_ids
    )
    return ChangesetOut.model_validate(changeset)


@router.post("/cleanse/changesets/{changeset_id}/reject")
def reject_changeset(
    session: SessionDep, principal: PrincipalDep, changeset_id: ChangesetId
) -> ChangesetOut:
    return ChangesetOut.model_validate(cleansing.reject_changes(session, principal, changeset_id))


@router.post("/cleanse/changesets/{changeset_id}/undo")
def undo_changeset(
    session: SessionDep, principal: PrincipalDep, changeset_id: ChangesetId
) -> ChangesetOut:
    """Restore everything the changeset changed exactly as it was (admins)."""
    return ChangesetOut.model_validate(
        cleansing.undo_changes(session, principal, changeset_id, now=now())
    )


def _item(item: ChangesetItem) -> ChangeOut:
    out = ChangeOut.model_validate(item)
    return out.model_copy(
        update={"old_value": decode(item.old_value), "new_value": decode(item.new_value)}
    )
