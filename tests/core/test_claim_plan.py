"""How a worker's claim reads a backlog: queued jobs walked in claim order on the partial
index of queued jobs, with no sort of every due job, so a claim costs the same whatever
the backlog; and what it takes is the first due jobs in that order."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session

from dealflow.core import clock, jobs
from dealflow.core.jobs import NewJob
from dealflow.models import Workspace

BACKLOG = 3_000


def backlog(session: Session, workspace: Workspace) -> None:
    """Due jobs at two priorities, and later ones that are not due yet."""
    later = clock.now() + timedelta(days=1)
    due = [NewJob({"n": n}, f"due-{n}", None, workspace.id) for n in range(BACKLOG)]
    waiting = [NewJob({"n": n}, f"later-{n}", later, workspace.id) for n in range(BACKLOG)]
    jobs.enqueue_many(session, "work", waiting, priority=10)
    jobs.enqueue_many(session, "work", due[:100], priority=10)
    jobs.enqueue_many(session, "work", due[100:])
    session.execute(text("ANALYZE jobs"))


@contextmanager
def claim_statements(session: Session) -> Iterator[list[tuple[str, Any]]]:
    """The claim statements the session's connection sends meanwhile, with parameters."""
    seen: list[tuple[str, Any]] = []
    connection = session.connection()

    def note(_conn: Any, _cursor: Any, sql: str, parameters: Any, *_rest: Any) -> None:
        if sql.lstrip().startswith("UPDATE jobs") and "ORDER BY" in sql:
            seen.append((sql, parameters))

    event.listen(connection, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(connection, "before_cursor_execute", note)


def test_a_claim_walks_the_queued_jobs_in_order_without_sorting_the_backlog(
    session: Session, workspace: Workspace
) -> None:
    backlog(session, workspace)
    with claim_statements(session) as seen:
        claimed = jobs.claim(session, "worker", limit=200, kinds=["work"], expired=False)
    ((sql, parameters),) = seen
    explain = "EXPLAIN QUERY PLAN " if session.get_bind().dialect.name == "sqlite" else "EXPLAIN "
    plan = "\n".join(
        " ".join(map(str, row))
        for row in session.connection().exec_driver_sql(explain + sql, parameters)
    )
    assert "ix_jobs_queued_order" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan
    keys = [job.idempotency_key for job in claimed]
    assert keys == [f"due-{n}" for n in range(200)]  # priority 10 first, none not yet due
