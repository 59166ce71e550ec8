"""The agent as a job: queued once a day per workspace, run by a worker's handler."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.background import job_handlers
from dealflow.core import clock
from dealflow.core.clock import FrozenClock
from dealflow.crm.cleansing.tasks import RUN, next_quiet_time, queue_daily_runs
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
    assert job.run_at == next_quiet_time(now) and job.run_at > now  # not when a server starts
    job_handlers()[RUN](session, job)
    changeset = session.scalars(
        select(Changeset).where(Changeset.workspace_id == workspace.id)
    ).one()
    assert changeset.origin == "job" and changeset.status == "applied"
    scores = session.scalars(select(QualitySnapshot.score).order_by(QualitySnapshot.id)).all()
    assert len(scores) == 2 and scores[1] > scores[0]


def test_the_daily_run_waits_for_the_next_quiet_hour() -> None:
    evening = datetime(2026, 12, 2, 18, 30, tzinfo=UTC)
    night = datetime(2026, 12, 3, 2, 59, tzinfo=UTC)

    assert next_quiet_time(evening) == datetime(2026, 12, 3, 3, tzinfo=UTC)
    assert next_quiet_time(night) == datetime(2026, 12, 3, 3, tzinfo=UTC)
    assert next_quiet_time(datetime(2026, 12, 3, 3, tzinfo=UTC)) == datetime(
        2026, 12, 4, 3, tzinfo=UTC
    )
