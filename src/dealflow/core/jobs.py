"""Durable jobs: rows in the ``jobs`` table, claimed by workers under a time-limited lease.

A job is enqueued in the same transaction as the change that causes it, so a rollback drops
it. Workers claim due jobs with one statement (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so
any number of workers share the table; on SQLite one worker). A worker that dies leaves its
lease to expire and the job is claimed again. Completing or failing a job is fenced by the
lease owner, so a worker that lost its lease cannot overwrite the new owner's result.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, literal_column, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from dealflow.core import clock
from dealflow.core.dialect import dialect_of
from dealflow.models import Job

QUEUED, RUNNING, SUCCEEDED, DEAD = "queued", "running", "succeeded", "dead"
IS_QUEUED = Job.status == literal_column(f"'{QUEUED}'")
"""Written into the SQL, not bound: SQLite uses the partial index of queued jobs
(ix_jobs_queued_order) only for a query whose text says ``status = 'queued'``."""


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    """A job as ``claim`` leased it: its row's values at the claim (a plain row, not an ORM
    object: a worker claims hundreds at a time and only reads them)."""

    id: int
    workspace_id: int | None
    kind: str
    payload: dict[str, Any]
    status: str
    priority: int
    run_at: datetime
    attempts: int
    max_attempts: int
    lease_owner: str | None
    lease_expires_at: datetime | None
    idempotency_key: str | None
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None


_CLAIMED_COLUMNS = [getattr(Job, name) for name in ClaimedJob.__slots__]

JobHandler = Callable[[Session, ClaimedJob], None]
BatchJobHandler = Callable[[Session, list[ClaimedJob]], Mapping[int, Exception]]
"""Runs many jobs of one kind together; returns the error of each job that failed (its writes
must be none). Raising fails none: the jobs then run one by one with the kind's handler."""
PeriodicStep = Callable[[sessionmaker[Session]], object]
"""Work a worker's loop does besides jobs, e.g. turning new outbox events into jobs."""
DailyQueue = Callable[..., int]
"""Queues a day's jobs: called with the session and keyword arguments ``today`` and ``now``."""

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff: ``base * 2**(attempt-1)``, capped at ``cap``."""

    base: timedelta = timedelta(seconds=10)
    cap: timedelta = timedelta(hours=1)

    def delay(self, attempt: int) -> timedelta:
        return min(self.cap, self.base * (2 ** max(0, attempt - 1)))


@dataclass(frozen=True)
class NewJob:
    """A job to add with ``enqueue_many``."""

    payload: dict[str, Any]
    idempotency_key: str | None = None
    run_at: datetime | None = None
    workspace_id: int | None = None


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    workspace_id: int | None = None,
    run_at: datetime | None = None,
    idempotency_key: str | None = None,
    max_attempts: int = 5,
    priority: int = 100,
) -> int | None:
    """Add a job; returns its id, or None when a job with ``idempotency_key`` already exists."""
    values = _job_row(
        kind, NewJob(payload or {}, idempotency_key, run_at, workspace_id), max_attempts, priority
    )
    statement = dialect_of(session).insert_new(Job, "idempotency_key", values).returning(Job.id)
    return session.execute(statement).scalar_one_or_none()


def enqueue_many(
    session: Session,
    kind: str,
    new_jobs: Sequence[NewJob],
    *,
    max_attempts: int = 5,
    priority: int = 100,
) -> None:
    """Add many jobs of one kind with one statement; those whose idempotency key exists
    already are skipped."""
    if not new_jobs:
        return
    rows = [_job_row(kind, job, max_attempts, priority) for job in new_jobs]
    table = Job.__table__  # the table, not the class: SQLAlchemy Core's executemany
    session.execute(dialect_of(session).insert_new_rows(table, "idempotency_key"), rows)


def _job_row(kind: str, job: NewJob, max_attempts: int, priority: int) -> dict[str, Any]:
    now = clock.now()
    return {
        "workspace_id": job.workspace_id,
        "kind": kind,
        "payload": job.payload,
        "status": QUEUED,
        "priority": priority,
        "run_at": job.run_at or now,
        "attempts": 0,
        "max_attempts": max_attempts,
        "idempotency_key": job.idempotency_key,
        "created_at": now,
    }


def claim(
    session: Session,
    worker: str,
    *,
    limit: int = 1,
    lease: timedelta = timedelta(minutes=5),
    kinds: list[str] | None = None,
    expired: bool | None = None,
) -> list[ClaimedJob]:
    """Lease up to ``limit`` due jobs to ``worker``: queued ones, and running ones whose lease
    expired (only those with ``expired=True``, none with ``expired=False``). Each claim counts
    as an attempt."""
    now = clock.now()
    queued = and_(IS_QUEUED, Job.run_at <= now)
    lapsed = and_(Job.status == RUNNING, Job.lease_expires_at < now)
    due = {None: or_(queued, lapsed), True: lapsed, False: queued}[expired]
    candidates = (
        select(Job.id)
        .where(due, Job.attempts < Job.max_attempts)
        .order_by(Job.priority, Job.run_at, Job.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if kinds:
        candidates = candidates.where(Job.kind.in_(kinds))
    dialect = dialect_of(session)
    payload = ClaimedJob.__slots__.index("payload")
    returned = [*_CLAIMED_COLUMNS]
    returned[payload] = dialect.raw_json(Job.payload)
    statement = (
        update(Job)
        .where(Job.id.in_(candidates.scalar_subquery()))
        .values(
            status=RUNNING,
            lease_owner=worker,
            lease_expires_at=now + lease,
            attempts=Job.attempts + 1,
        )
        .returning(*returned)
        .execution_options(synchronize_session=False)
    )
    rows = [list(row) for row in session.execute(statement)]
    payloads = dialect.decode_json([row[payload] for row in rows])  # one parse for all
    for row, decoded in zip(rows, payloads, strict=True):
        row[payload] = decoded
    jobs = [ClaimedJob(*row) for row in rows]
    return sorted(jobs, key=lambda job: (job.priority, job.run_at, job.id))


def extend_lease(session: Session, job_id: int, worker: str, lease: timedelta) -> bool:
    """Heartbeat: push the lease out; False when ``worker`` no longer holds it."""
    result = session.execute(_owned(job_id, worker).values(lease_expires_at=clock.now() + lease))
    return _one_row(result)


def complete(session: Session, job_id: int, worker: str) -> bool:
    """Mark the job done; False when ``worker`` no longer holds its lease."""
    result = session.execute(
        _owned(job_id, worker).values(
            status=SUCCEEDED, finished_at=clock.now(), lease_owner=None, lease_expires_at=None
        )
    )
    return _one_row(result)


def fail(
    session: Session, job: ClaimedJob, worker: str, error: str, policy: RetryPolicy | None = None
) -> bool:
    """Record a failed attempt: retry later with backoff, or give up after ``max_attempts``."""
    now = clock.now()
    policy = policy or RetryPolicy()
    if job.attempts >= job.max_attempts:
        values: dict[str, Any] = {"status": DEAD, "finished_at": now}
    else:
        values = {"status": QUEUED, "run_at": now + policy.delay(job.attempts)}
    result = session.execute(
        _owned(job.id, worker).values(
            **values, last_error=error[:4000], lease_owner=None, lease_expires_at=None
        )
    )
    return _one_row(result)


def bury_expired(session: Session) -> int:
    """Mark jobs dead whose lease expired on their last allowed attempt; returns how many."""
    now = clock.now()
    result = session.execute(
        update(Job)
        .where(
            Job.status == RUNNING,
            Job.lease_expires_at < now,
            Job.attempts >= Job.max_attempts,
        )
        .values(
            status=DEAD,
            finished_at=now,
            last_error="lease expired on the last attempt (the worker stopped or hung)",
            lease_owner=None,
            lease_expires_at=None,
        )
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass
class OncePerDay:
    """A periodic step that calls ``queue`` (in its own transaction) on a worker's first pass
    of each day. The jobs it queues should carry the day in their idempotency keys, so that
    every worker asking still makes them once a day."""

    queue: DailyQueue
    queued_on: date | None = None

    def __call__(self, sessions: sessionmaker[Session]) -> None:
        now = clock.now()
        if self.queued_on == now.date():
            return
        with sessions() as session, session.begin():
            self.queue(session, today=now.date(), now=now)
        self.queued_on = now.date()


class LeaseLostError(Exception):
    """The worker's lease on a job ran out and another worker claimed it."""


def unique_worker_name() -> str:
    """``host:pid:random``: lease fencing needs every worker to have its own name."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


EXTERNAL_EFFECT = "dealflow_external_effect"


def mark_external_effect(session: Session) -> None:
    """Say that the running job just had an effect outside the database (an HTTP call): the
    worker commits its batch right after this job, so a crash repeats at most that one call."""
    session.info[EXTERNAL_EFFECT] = True


@dataclass
class Worker:
    """Runs due jobs with the given handlers, a batch of jobs per transaction.

    Up to ``batch`` jobs are claimed with one statement and run in one transaction, each in
    its own savepoint: a handler's writes and its job's completion commit together; when a
    handler raises, only its writes roll back and its failure is recorded with the batch.
    Consecutive jobs of a kind with a ``batch_handlers`` entry run in one call and one
    savepoint instead (when it raises, one by one as above). A job that had an effect
    outside the database (``mark_external_effect``) ends its transaction. When the batch
    cannot commit as a whole (a lease was lost, the database refused), its jobs run again
    one per transaction. Each pass of ``run_until`` first runs the ``periodic`` steps (each
    in its own transactions).
    """

    sessions: sessionmaker[Session]
    handlers: Mapping[str, JobHandler]
    periodic: Sequence[PeriodicStep] = ()
    batch_handlers: Mapping[str, BatchJobHandler] = field(default_factory=dict)
    name: str = field(default_factory=unique_worker_name)
    lease: timedelta = timedelta(minutes=5)
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    batch: int = 200
    """Jobs claimed at once. Big enough that a batch's own statements (claim, reads of its
    enrolments and records, completion) cost little per job; small enough that a batch of
    calls out to receivers that time out still ends within half the lease."""

    def run_pending(self, limit: int | None = None) -> int:
        """Claim and run up to ``limit`` (default: two batches) due jobs; returns how many
        ran."""
        limit = 2 * self.batch if limit is None else limit
        ran = 0
        if not self.handlers:
            return ran  # claiming with no kinds would take every job
        while ran < limit:
            with self.sessions() as session, session.begin():
                bury_expired(session)
                kinds = list(self.handlers)
                # A job whose worker died (its lease expired) runs alone: were it batched
                # again, each crash of a batch would cost every job in it an attempt.
                claimed = claim(session, self.name, lease=self.lease, kinds=kinds, expired=True)
                claimed = claimed or claim(
                    session,
                    self.name,
                    limit=min(self.batch, limit - ran),
                    lease=self.lease,
                    kinds=kinds,
                    expired=False,
                )
            if not claimed:
                return ran
            self._run_batch(claimed)
            ran += len(claimed)
        return ran

    def run_until(self, stop: threading.Event, idle_wait: float = 1.0) -> None:
        """Run due jobs until ``stop`` is set, waiting ``idle_wait`` seconds when idle.

        A database error (a locked SQLite file, a restarted server) is logged and retried
        after the wait, so a background worker never dies silently.
        """
        while not stop.is_set():
            self.run_periodic()
            try:
                ran = self.run_pending()
            except Exception:
                log.exception("jobs worker %s: running due jobs failed; retrying", self.name)
                ran = 0
            if not ran:
                stop.wait(idle_wait)

    def run_periodic(self) -> None:
        """Run each periodic step once; one that fails is logged and tried again next pass."""
        for step in self.periodic:
            try:
                step(self.sessions)
            except Exception:
                log.exception("jobs worker %s: periodic step %r failed", self.name, step)

    def _run_batch(self, batch: list[ClaimedJob]) -> None:
        start = 0
        renew_at = clock.now() + self.lease / 2
        while start < len(batch):
            end = len(batch)
            try:
                with self.sessions() as session, session.begin():
                    if clock.now() >= renew_at:  # slow jobs ahead: keep the rest leased
                        renew_at = clock.now() + self.lease / 2
                        _extend_all(
                            session, [job.id for job in batch[start:]], self.name, self.lease
                        )
                    end = self._run_part(session, batch, start)
            except Exception as error:
                log.warning(
                    "jobs worker %s: a batch of %d jobs did not commit (%s: %s); "
                    "running them one by one",
                    self.name,
                    end - start,
                    type(error).__name__,
                    error,
                )
                for job in self._still_owned(batch[start:end]):
                    self._run(job)
            start = end

    def _run_part(self, session: Session, batch: list[ClaimedJob], start: int) -> int:
        """Run jobs from ``start`` in savepoints until the batch ends or one had an effect
        outside the database; record their outcomes. Returns where it stopped."""
        batched = self._run_together(session, batch, start)
        if batched is not None:
            return batched
        succeeded: list[int] = []
        end = start
        while end < len(batch):
            job = batch[end]
            end += 1
            try:
                with session.begin_nested():
                    self.handlers[job.kind](session, job)
            except Exception as error:  # a failing handler must never stop the worker
                fail(session, job, self.name, f"{type(error).__name__}: {error}", self.policy)
            else:
                succeeded.append(job.id)
            if session.info.pop(EXTERNAL_EFFECT, False):
                break
        if succeeded and _complete_all(session, succeeded, self.name) != len(succeeded):
            raise LeaseLostError(f"a job of #{succeeded} was claimed by another worker")
        return end

    def _run_together(self, session: Session, batch: list[ClaimedJob], start: int) -> int | None:
        """Run the jobs of ``batch[start]``'s kind from ``start`` on with its batch handler
        and record their outcomes; returns where they end (None: no batch handler, or it
        raised and the jobs run one by one)."""
        kind = batch[start].kind
        handler = self.batch_handlers.get(kind)
        if handler is None:
            return None
        end = start
        while end < len(batch) and batch[end].kind == kind:
            end += 1
        group = batch[start:end]
        try:
            with session.begin_nested():
                failed = handler(session, group)
        except Exception as error:
            session.info.pop(EXTERNAL_EFFECT, None)
            log.warning(
                "jobs worker %s: %d %s jobs failed together (%s: %s); running them one by one",
                self.name,
                len(group),
                kind,
                type(error).__name__,
                error,
            )
            return None
        for job in group:
            if job.id in failed:
                problem = failed[job.id]
                fail(session, job, self.name, f"{type(problem).__name__}: {problem}", self.policy)
        succeeded = [job.id for job in group if job.id not in failed]
        if succeeded and _complete_all(session, succeeded, self.name) != len(succeeded):
            raise LeaseLostError(f"a job of #{succeeded} was claimed by another worker")
        session.info.pop(EXTERNAL_EFFECT, None)
        return end

    def _still_owned(self, batch: list[ClaimedJob]) -> list[ClaimedJob]:
        with self.sessions() as session:
            owned = set(
                session.scalars(
                    select(Job.id).where(_held_by(session, [job.id for job in batch], self.name))
                )
            )
        return [job for job in batch if job.id in owned]

    def _run(self, job: ClaimedJob) -> None:
        try:
            with self.sessions() as session, session.begin():
                self.handlers[job.kind](session, job)
                if not complete(session, job.id, self.name):
                    raise LeaseLostError(f"job #{job.id} was claimed by another worker")
        except LeaseLostError:
            return  # this run's writes rolled back; the job's new owner runs it
        except Exception as error:  # a failing handler must never stop the worker
            with self.sessions() as session, session.begin():
                fail(session, job, self.name, f"{type(error).__name__}: {error}", self.policy)


def _held_by(session: Session, job_ids: list[int], worker: str) -> Any:
    """The jobs of ``job_ids`` that ``worker`` still runs (one array parameter on
    PostgreSQL: a long IN list costs a parse per batch in the driver and the server)."""
    return and_(
        dialect_of(session).in_batch(Job.id, job_ids),
        Job.lease_owner == worker,
        Job.status == RUNNING,
    )


def _extend_all(session: Session, job_ids: list[int], worker: str, lease: timedelta) -> None:
    session.execute(
        update(Job)
        .where(_held_by(session, job_ids, worker))
        .values(lease_expires_at=clock.now() + lease)
        .execution_options(synchronize_session=False)
    )


def _complete_all(session: Session, job_ids: list[int], worker: str) -> int:
    """Mark the jobs done that ``worker`` still holds; returns how many."""
    result = session.execute(
        update(Job)
        .where(_held_by(session, job_ids, worker))
        .values(status=SUCCEEDED, finished_at=clock.now(), lease_owner=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def _owned(job_id: int, worker: str) -> Any:
    return (
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == worker, Job.status == RUNNING)
        .execution_options(synchronize_session=False)
    )


def _one_row(result: Any) -> bool:
    return bool(result.rowcount == 1)
