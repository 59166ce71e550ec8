"""Keep scores fresh: rescore a record soon after something that feeds its score happens, and
every open record once a day (time alone moves recency features and stalls).

A worker's loop runs ``queue_event_rescoring`` each pass, and ``queue_daily_rescoring`` once a
day (``core.jobs.OncePerDay``). The first reads the outbox with its own cursor and
queues ``predict.rescore`` jobs in the transaction that moves the cursor, so no event is lost
or counted twice. Events that arrive while a job still waits are folded into it: a burst of
page views becomes one scoring run a short while later, not one per event. The scorers' own
writes (scores, bands, stalls) are not events that rescore, or scoring would feed itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from dealflow.core import clock, jobs
from dealflow.core.errors import NotFoundError
from dealflow.crm import outbox
from dealflow.models import Job, PredictiveModel
from dealflow.predict.registry import active_model
from dealflow.predict.scoring import TARGETS, scorable_ids, score
from dealflow.predict.stall import detect_stalls

CONSUMER = "rescoring"
RESCORE = "predict.rescore"
BATCH = 1000
DEBOUNCE = timedelta(seconds=30)
"""How long a rescoring job waits for more events about the same records before it runs."""

OWN_PROPERTIES = frozenset(
    {column for target in TARGETS.values() for column in target.columns} | {"stalled_since"}
)
"""What scoring and stall detection write themselves: changes to these never rescore."""

Touched = dict[tuple[int, str], set[int]]
"""(workspace id, target) -> ids of the records to rescore."""


def touched_records(events: Iterable[outbox.Event]) -> Touched:
    """The leads and deals whose score the events may change."""
    touched: Touched = defaultdict(set)
    for event in events:
        for target, record_id in _targets_of(event):
            touched[(event.workspace_id, target)].add(record_id)
    return touched


def _targets_of(event: outbox.Event) -> list[tuple[str, int]]:
    payload = event.payload or {}
    if event.record_id is None:
        return []
    if event.topic == outbox.PROPERTY_CHANGED and payload.get("property") in OWN_PROPERTIES:
        return []
    if event.object_type == "contacts" and event.topic in (
        outbox.RECORD_CREATED,
        outbox.PROPERTY_CHANGED,
        outbox.ENGAGEMENT_RECORDED,
    ):
        return [("leads", event.record_id)]
    if event.object_type == "deals" and event.topic in (
        outbox.RECORD_CREATED,
        outbox.PROPERTY_CHANGED,
        outbox.DEAL_STAGE_CHANGED,
    ):
        return [("deals", event.record_id)]
    if event.topic == outbox.ACTIVITY_LOGGED:
        links = (("leads", payload.get("contact_id")), ("deals", payload.get("deal_id")))
        return [(target, int(record_id)) for target, record_id in links if record_id]
    return []


def queue_rescoring(session: Session, limit: int = BATCH) -> tuple[int, int]:
    """Turn the next ``limit`` outbox events into rescoring jobs; returns (events read,
    workspace targets queued for)."""
    now = clock.now()
    outbox.take_turn(session, CONSUMER)
    events = outbox.read(session, CONSUMER, limit)
    if not events:
        return 0, 0
    queued = 0
    for (workspace_id, target), record_ids in touched_records(events).items():
        if _has_model(session, workspace_id, target):
            _fold_into_waiting_job(
                session, workspace_id, target, record_ids, now, cause=events[-1].id
            )
            queued += 1
    outbox.acknowledge(session, CONSUMER, events[-1].id)
    return len(events), queued


def _fold_into_waiting_job(
    session: Session,
    workspace_id: int,
    target: str,
    record_ids: set[int],
    now: datetime,
    *,
    cause: int,
) -> None:
    prefix = f"{RESCORE}:{workspace_id}:{target}:"
    waiting = session.execute(
        select(Job.id, Job.payload)
        .where(
            Job.kind == RESCORE,
            Job.status == jobs.QUEUED,
            Job.idempotency_key.startswith(prefix + "events:"),
        )
        .limit(1)
    ).first()
    if waiting is not None:
        merged = sorted(set(waiting.payload["record_ids"]) | record_ids)
        folded = session.execute(
            update(Job)
            .where(Job.id == waiting.id, Job.status == jobs.QUEUED)
            .values(payload={**waiting.payload, "record_ids": merged})
            .execution_options(synchronize_session=False)
        )
        if folded.rowcount:  # type: ignore[attr-defined]
            return  # otherwise a worker claimed it meanwhile: queue a new one
    jobs.enqueue(
        session,
        RESCORE,
        {"target": target, "record_ids": sorted(record_ids)},
        workspace_id=workspace_id,
        run_at=now + DEBOUNCE,
        idempotency_key=f"{prefix}events:{cause}",  # the batch's last event: one job each
    )


def queue_daily_rescoring(session: Session, *, today: date, now: datetime) -> int:
    """Queue today's full rescoring for every workspace and target with a model (once a day,
    however many workers ask); returns the jobs queued now."""
    queued = 0
    active = session.execute(
        select(PredictiveModel.workspace_id, PredictiveModel.target).where(
            PredictiveModel.is_active.is_(True)
        )
    ).all()
    for workspace_id, target in active:
        job_id = jobs.enqueue(
            session,
            RESCORE,
            {"target": target, "record_ids": None},
            workspace_id=workspace_id,
            run_at=now,
            idempotency_key=f"{RESCORE}:{workspace_id}:{target}:daily:{today.isoformat()}",
        )
        queued += job_id is not None
    return queued


def rescore(session: Session, job: jobs.ClaimedJob) -> None:
    """The job: score the records still open (all of them when none are named); a deals run
    also refreshes stalls. Nothing to do before the workspace's first training."""
    payload: dict[str, Any] = job.payload
    workspace_id, target = job.workspace_id, payload["target"]
    if workspace_id is None or not _has_model(session, workspace_id, target):
        return
    now = clock.now()
    open_ids = scorable_ids(session, workspace_id, target)
    named: Sequence[int] | None = payload["record_ids"]
    ids = open_ids if named is None else sorted(set(named).intersection(open_ids))
    if ids:
        score(session, workspace_id, target, now=now, record_ids=ids)
    if target == "deals":
        detect_stalls(session, workspace_id, now=now)


def _has_model(session: Session, workspace_id: int, target: str) -> bool:
    try:
        active_model(session, workspace_id, target)
    except NotFoundError:
        return False
    return True


def queue_event_rescoring(sessions: sessionmaker[Session]) -> int:
    """The periodic step a worker runs: rescoring jobs for new events, a batch at a time."""
    return outbox.drain(sessions, queue_rescoring, BATCH)


JOB_HANDLERS: dict[str, jobs.JobHandler] = {RESCORE: rescore}
