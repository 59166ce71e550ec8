"""The agent as a job: queued once a day per workspace, run by a worker's handler."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.background import job_handlers
from dealflow.core import clock
from dealflow.core.clock import FrozenClock
from dealflow.crm.cleansing.tasks import RUN, queue_daily_runs
from dealflow.models import Changeset, Job, QualitySnapshot, Workspace
from tests.crm.cleansing.dirty_data import build_dirty_workspace


def test_daily_run_proposes_applies_sure_changes_and_keeps_scores(
    session: Session, workspace: Workspace, frozen_clock: FrozenClock
) -> None:
    build_dirty_workspace(session, workspace)
    now = clock.now()
    assert queue_daily_runs(session, today=now.date(), now=now) == 1
    assert queue_daily_runs(session, today=now.date(), now=now) == 0
    job = session.scalars(select(Job).where(Job.kind == RUN)).one()
    job_handlers()[RUN](session, job)
    changeset = session.scalars(
        select(Changeset).where(Changeset.workspace_id == workspace.id)
    ).one()
    assert changeset.origin == "job" and changeset.status == "applied"
    scores = session.scalars(select(QualitySnapshot.score).order_by(QualitySnapshot.id)).all()
    assert len(scores) == 2 and scores[1] > scores[0]
