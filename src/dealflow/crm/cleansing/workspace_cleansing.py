"""Data quality and the cleansing agent as a signed-in person may use them: the diagnosis
covers the whole workspace, so it is read by admins and managers; only admins run the
agent and apply, reject or undo its changesets. The API and the web pages call these."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from dealflow.core.errors import PermissionDeniedError
from dealflow.crm import access
from dealflow.crm.cleansing import service as cleanse
from dealflow.crm.quality import tasks as quality_tasks
from dealflow.crm.quality.problems import Problem
from dealflow.crm.quality.service import (
    Diagnosis,
    diagnose,
    latest_snapshot,
    record_snapshot,
    score_history,
)
from dealflow.models import Changeset, ChangesetItem, QualitySnapshot, Workspace


@dataclass(frozen=True)
class QualityReport:
    """A diagnosis as the page shows it: the latest kept in the history, or one made now."""

    measured_at: datetime
    score: float
    dimensions: dict[str, float]
    problems: list[Problem]
    stored: bool
    """Read from the score history (False: diagnosed for this view, none was kept yet)."""


@dataclass(frozen=True)
class QualityView:
    """What the quality page shows: the diagnosis, the score's history, the changesets."""

    diagnosis: QualityReport
    history: list[QualitySnapshot]
    changesets: list[Changeset]
    open_changeset: Changeset | None
    open_items: list[ChangesetItem]
    diagnosis_waiting: bool
    """A new diagnosis is queued or running."""


def _ensure_reader(principal: access.Principal) -> None:
    if principal.role not in (access.ADMIN, access.MANAGER):
        raise PermissionDeniedError("only admins and managers can read the data quality report")


def _workspace(session: Session, principal: access.Principal) -> Workspace:
    workspace = session.get(Workspace, principal.workspace_id)
    assert workspace is not None  # a principal's workspace exists
    return workspace


def workspace_diagnosis(
    session: Session, principal: access.Principal, *, now: datetime
) -> Diagnosis:
    _ensure_reader(principal)
    return diagnose(session, _workspace(session, principal), now=now)


def quality_history(session: Session, principal: access.Principal) -> list[QualitySnapshot]:
    _ensure_reader(principal)
    return score_history(session, principal.workspace_id)


def quality_view(session: Session, principal: access.Principal, *, now: datetime) -> QualityView:
    """The latest kept diagnosis (diagnosing now only when none was kept: a diagnosis reads
    the whole workspace), its history and the changesets (the latest one with review items)."""
    _ensure_reader(principal)
    diagnosis = _latest_report(session, principal, now)
    changesets = cleanse.list_changesets(session, principal.workspace_id, limit=10)
    waiting = next(
        (
            c
            for c in changesets
            if c.summary.get("merge_proposed") or c.summary.get("normalise_proposed")
        ),
        None,
    )
    items = (
        [i for i in cleanse.items_of(session, waiting) if i.status == cleanse.PROPOSED]
        if waiting
        else []
    )
    return QualityView(
        diagnosis,
        score_history(session, principal.workspace_id),
        changesets,
        waiting,
        items,
        quality_tasks.diagnosis_waiting(session, principal.workspace_id),
    )


def _latest_report(session: Session, principal: access.Principal, now: datetime) -> QualityReport:
    snapshot = latest_snapshot(session, principal.workspace_id)
    if snapshot is None:
        made = workspace_diagnosis(session, principal, now=now)
        return QualityReport(made.measured_at, made.score, made.dimensions, made.problems, False)
    problems = [Problem.from_dict(stored) for stored in snapshot.problems]
    return QualityReport(
        snapshot.measured_at, snapshot.score, snapshot.dimensions, problems, stored=True
    )


def request_diagnosis(session: Session, principal: access.Principal, *, now: datetime) -> bool:
    """Queue a new diagnosis for the page (admins and managers); False if one is waiting."""
    _ensure_reader(principal)
    return quality_tasks.queue_diagnosis(session, principal.workspace_id, now=now)


def run_cleansing(
    session: Session, principal: access.Principal, *, now: datetime, auto_apply: bool = True
) -> Changeset:
    """Run the agent (admins): the score before and after are kept in the history."""
    access.ensure_admin(principal, "run the cleansing agent")
    workspace = _workspace(session, principal)
    before = diagnose(session, workspace, now=now)
    record_snapshot(session, workspace.id, before)
    changeset = cleanse.run_agent(
        session,
        workspace,
        now=now,
        policy=cleanse.Policy(auto_apply=auto_apply),
        origin="user",
        actor_id=principal.user_id,
        diagnosis=before,
    )
    record_snapshot(session, workspace.id, diagnose(session, workspace, now=now))
    return changeset


def changesets(session: Session, principal: access.Principal) -> list[Changeset]:
    _ensure_reader(principal)
    return cleanse.list_changesets(session, principal.workspace_id)


def changeset_with_items(
    session: Session, principal: access.Principal, changeset_id: int
) -> tuple[Changeset, list[ChangesetItem]]:
    _ensure_reader(principal)
    changeset = cleanse.get_changeset(session, principal.workspace_id, changeset_id)
    return changeset, cleanse.items_of(session, changeset)


def apply_changes(
    session: Session,
    principal: access.Principal,
    changeset_id: int,
    *,
    now: datetime,
    only: Sequence[str] = (),
    item_ids: Sequence[int] = (),
) -> Changeset:
    access.ensure_admin(principal, "apply cleansing changes")
    return cleanse.apply_changeset(
        session,
        principal.workspace_id,
        changeset_id,
        now=now,
        only=only,
        item_ids=item_ids,
        actor_id=principal.user_id,
    )


def reject_changes(session: Session, principal: access.Principal, changeset_id: int) -> Changeset:
    access.ensure_admin(principal, "reject cleansing changes")
    return cleanse.reject_changeset(
        session, principal.workspace_id, changeset_id, actor_id=principal.user_id
    )


def undo_changes(
    session: Session, principal: access.Principal, changeset_id: int, *, now: datetime
) -> Changeset:
    access.ensure_admin(principal, "undo cleansing changes")
    return cleanse.undo_changeset(
        session, principal.workspace_id, changeset_id, now=now, actor_id=principal.user_id
    )
