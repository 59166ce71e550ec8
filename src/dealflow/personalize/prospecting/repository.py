"""Every query of research runs and findings, always within one workspace."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from dealflow.models import ResearchFinding, ResearchRun

KEPT_RUNS = 5
"""Runs kept per company: the current one and the four before it (with their findings)."""


def current_run(session: Session, workspace_id: int, company_id: int) -> ResearchRun | None:
    return session.scalars(
        select(ResearchRun).where(
            ResearchRun.workspace_id == workspace_id,
            ResearchRun.company_id == company_id,
            ResearchRun.is_current,
        )
    ).one_or_none()


def runs_of(session: Session, workspace_id: int, company_id: int) -> Sequence[ResearchRun]:
    """The company's kept runs, newest first."""
    return session.scalars(
        select(ResearchRun)
        .where(ResearchRun.workspace_id == workspace_id, ResearchRun.company_id == company_id)
        .order_by(ResearchRun.started_at.desc(), ResearchRun.id.desc())
    ).all()


def findings_of_run(session: Session, workspace_id: int, run_id: int) -> Sequence[ResearchFinding]:
    return session.scalars(
        select(ResearchFinding)
        .where(ResearchFinding.workspace_id == workspace_id, ResearchFinding.run_id == run_id)
        .order_by(ResearchFinding.position)
    ).all()


def retire_runs(session: Session, workspace_id: int, company_id: int) -> None:
    """Mark the company's runs as history (a new one is about to become current)."""
    session.execute(
        update(ResearchRun)
        .where(ResearchRun.workspace_id == workspace_id, ResearchRun.company_id == company_id)
        .values(is_current=False)
    )


def prune_runs(session: Session, workspace_id: int, company_id: int) -> None:
    """Forget runs (and their findings) older than the ``KEPT_RUNS`` newest."""
    old = [run.id for run in runs_of(session, workspace_id, company_id)[KEPT_RUNS:]]
    if old:
        session.execute(delete(ResearchFinding).where(ResearchFinding.run_id.in_(old)))
        session.execute(delete(ResearchRun).where(ResearchRun.id.in_(old)))
