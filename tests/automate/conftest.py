"""Helpers for workflow tests: save a definition, and run the matcher and due step jobs in
the test's own session the way a worker would (claim, run, complete)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.engine import run_step
from dealflow.automate.enrolments import STEP_JOB
from dealflow.automate.matcher import match_events
from dealflow.automate.service import save_workflow, set_enabled
from dealflow.core import jobs
from dealflow.models import TrailEntry, Workflow, Workspace


def save(
    session: Session, workspace: Workspace, document: dict[str, Any], enable: bool = True
) -> Workflow:
    """Save a workflow document (enabled by default)."""
    workflow = save_workflow(session, workspace.id, document).workflow
    if enable:
        set_enabled(session, workspace.id, workflow.id, True)
    session.flush()
    return workflow


def drain(session: Session, rounds: int = 50) -> int:
    """Match new events and run every due step job until nothing is left; returns the
    jobs run."""
    ran = 0
    for _ in range(rounds):
        match_events(session)
        claimed = jobs.claim(session, "test-worker", limit=100, kinds=[STEP_JOB])
        if not claimed:
            return ran
        for job in claimed:
            run_step(session, job)
            assert jobs.complete(session, job.id, "test-worker")
            ran += 1
        session.flush()
    raise AssertionError("steps kept coming: a loop?")


def trail_of(session: Session, object_type: str, record_id: int) -> list[str]:
    """The record's run trail, oldest first."""
    return list(
        session.scalars(
            select(TrailEntry.message)
            .where(TrailEntry.object_type == object_type, TrailEntry.record_id == record_id)
            .order_by(TrailEntry.id)
        )
    )
