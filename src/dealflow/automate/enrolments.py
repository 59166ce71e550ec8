"""Enrolling a record in a workflow, ending an enrolment, and writing its run trail.

An enrolment row is unique per cause (its ``enrolment_key``): the same event, schedule time
or request never enrols twice, however often it is replayed. With ``reenrol: never`` the
key is the (workflow, record) pair itself, so a record goes through once, ever.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dealflow.automate.definitions import Definition
from dealflow.automate.filters import matches
from dealflow.automate.records import RecordSubject
from dealflow.automate.repository import active_enrolment, definition_of
from dealflow.core import clock, jobs
from dealflow.core.dialect import dialect_of, insert_rows
from dealflow.core.errors import NotFoundError
from dealflow.crm.objects import object_spec
from dealflow.crm.repository import WorkspaceRepository
from dealflow.models import Enrolment, EnrolmentStep, TrailEntry, Workflow

ACTIVE, COMPLETED, STOPPED, GOAL_MET, RECORD_GONE = (
    "active",
    "completed",
    "stopped",
    "goal_met",
    "record_gone",
)
STEP_JOB = "workflows.step"
STEP_KEY_PREFIX = "workflow-step:"
STEP_MAX_ATTEMPTS = 5


def step_job_key(enrolment_id: int, path: str) -> str:
    """The idempotency key of running one step of one enrolment (its job and side effects)."""
    return f"{STEP_KEY_PREFIX}{enrolment_id}:{path}"


@dataclass(frozen=True)
class Candidate:
    """A record a cause (an event, a schedule, a request) would enrol in a workflow."""

    workflow: Workflow
    definition: Definition
    record_id: int
    trigger: str
    reason: str
    cause: str


@dataclass(frozen=True, slots=True)
class EnrolmentRef:
    """The columns of an enrolment the engine runs with, read as a plain row (no ORM
    object to build, track and flush per enrolment)."""

    id: int
    workspace_id: int
    workflow_id: int
    version: int
    object_type: str
    record_id: int

    @classmethod
    def of(cls, enrolment: Enrolment) -> EnrolmentRef:
        """The reference of an enrolment object."""
        return cls(
            enrolment.id,
            enrolment.workspace_id,
            enrolment.workflow_id,
            enrolment.version,
            enrolment.object_type,
            enrolment.record_id,
        )


REF_COLUMNS = (
    Enrolment.id,
    Enrolment.workspace_id,
    Enrolment.workflow_id,
    Enrolment.version,
    Enrolment.object_type,
    Enrolment.record_id,
)
"""The columns of an ``EnrolmentRef``, in its order, for a select."""


@dataclass
class StepWrites:
    """The rows a batch of enrolments and steps writes (trail lines, finished steps, ended
    enrolments, next jobs), written with one statement per table (and per end status) by
    ``flush``."""

    trail: list[dict[str, Any]] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    jobs: list[jobs.NewJob] = field(default_factory=list)
    ended: dict[tuple[str, datetime], list[int]] = field(default_factory=dict)

    def note(
        self,
        enrolment: EnrolmentRef,
        message: str,
        at: datetime,
        details: dict[str, Any] | None = None,
    ) -> None:
        """Add a line to the record's run trail (``details``: what the step made, by id)."""
        self.trail.append(
            {
                "workspace_id": enrolment.workspace_id,
                "enrolment_id": enrolment.id,
                "object_type": enrolment.object_type,
                "record_id": enrolment.record_id,
                "at": at,
                "message": message,
                "details": details,
            }
        )

    def finish(self, enrolment: EnrolmentRef, status: str, message: str, now: datetime) -> None:
        """End an enrolment (completed, stopped, goal met...) and say why in the trail."""
        self.ended.setdefault((status, now), []).append(enrolment.id)
        self.note(enrolment, message, now)

    def queue(self, enrolment: EnrolmentRef, path: str, run_at: datetime) -> None:
        """Queue the job that runs step ``path`` (once: the job's key is the step's key)."""
        payload = {"enrolment_id": enrolment.id, "path": path}
        key = step_job_key(enrolment.id, path)
        self.jobs.append(jobs.NewJob(payload, key, run_at, enrolment.workspace_id))

    def step_done(
        self,
        enrolment: EnrolmentRef,
        path: str,
        action: str,
        result: dict[str, Any],
        at: datetime,
    ) -> None:
        """Record that step ``path`` ran (a retried job then skips it)."""
        self.steps.append(
            {
                "enrolment_id": enrolment.id,
                "path": path,
                "action": action,
                "result": result,
                "finished_at": at,
            }
        )

    def flush(self, session: Session) -> None:
        """Write what was collected, and start again empty."""
        table: Any = Enrolment.__table__
        for (status, at), ids in self.ended.items():
            session.execute(
                update(table)
                .where(dialect_of(session).in_batch(table.c.id, ids))
                .values(status=status, finished_at=at)
            )
            _ended_in_session(session, set(ids), status, at)
        insert_rows(session, EnrolmentStep.__table__, self.steps)  # type: ignore[arg-type]
        insert_rows(session, TrailEntry.__table__, self.trail)  # type: ignore[arg-type]
        jobs.enqueue_many(session, STEP_JOB, self.jobs, max_attempts=STEP_MAX_ATTEMPTS)
        self.trail, self.steps, self.jobs, self.ended = [], [], [], {}


def _ended_in_session(session: Session, ids: set[int], status: str, at: datetime) -> None:
    """Give enrolment objects the session holds (a caller's) the end just written."""
    for held in list(session.identity_map.values()):
        if isinstance(held, Enrolment) and held.id in ids:
            set_committed_value(held, "status", status)
            set_committed_value(held, "finished_at", at)


def enrol(
    session: Session,
    workflow: Workflow,
    record_id: int,
    *,
    trigger: str,
    reason: str,
    cause: str,
    now: datetime | None = None,
    definition: Definition | None = None,
) -> Enrolment | None:
    """Enrol a record in the workflow's current version and queue its first step.

    None when it may not enrol: the record is gone, it does not meet ``enrol_when``, it
    already meets the goal, re-enrolment rules forbid it, or this cause enrolled it already.
    """
    definition = definition or definition_of(session, workflow)
    candidate = Candidate(workflow, definition, record_id, trigger, reason, cause)
    enrolled = enrol_many(session, [candidate], now)
    return session.get_one(Enrolment, enrolled[0]) if enrolled else None


def enrol_many(
    session: Session, candidates: Sequence[Candidate], now: datetime | None = None
) -> list[int]:
    """Enrol each candidate as ``enrol`` would, in order, with a few statements for all:
    the records, the active enrolments, the new enrolments, their trail lines and first
    jobs are each read or written at once. Returns the new enrolments' ids."""
    if not candidates:
        return []
    now = now or clock.now()
    present, subjects = _records(session, candidates)
    active = _active_pairs(session, candidates)
    rows: dict[str, dict[str, Any]] = {}
    for candidate in candidates:
        workflow, definition = candidate.workflow, candidate.definition
        record = (workflow.workspace_id, workflow.object_type, candidate.record_id)
        if record not in present:
            continue
        enrol_when, goal = definition.enrol_when, definition.goal
        if enrol_when is not None and not matches(enrol_when, subjects[record], now):
            continue
        if goal is not None and matches(goal, subjects[record], now):
            continue
        pair = (workflow.id, candidate.record_id)
        if definition.reenrol == "never":
            key = f"{workflow.id}:{candidate.record_id}"
        elif pair in active:
            continue
        else:
            key = f"{workflow.id}:{candidate.record_id}:{candidate.cause}"
        active.add(pair)
        rows.setdefault(key, _enrolment_row(candidate, key, now))
    if not rows:
        return []
    inserted = dialect_of(session).insert_new_rows_returning(
        session,
        Enrolment.__table__,  # type: ignore[arg-type]
        "enrolment_key",
        list(rows.values()),
        ["id", "enrolment_key"],
    )
    ids = {key: enrolment_id for enrolment_id, key in inserted}
    new = {key: ids[key] for key in rows if key in ids}  # in candidate order
    workflows = {c.workflow.id: c.workflow for c in candidates}
    writes = StepWrites()
    for key, enrolment_id in new.items():
        row = rows[key]
        enrolment = EnrolmentRef(
            enrolment_id,
            row["workspace_id"],
            row["workflow_id"],
            row["version"],
            row["object_type"],
            row["record_id"],
        )
        workflow = workflows[enrolment.workflow_id]
        writes.note(
            enrolment,
            f"enrolled in {workflow.name!r} (version {workflow.current_version}) by trigger "
            f"{row['trigger']} at {now:%Y-%m-%d %H:%M} UTC because {row['reason']}",
            now,
        )
        writes.queue(enrolment, "0", now)
    writes.flush(session)
    return list(new.values())


def leave_at_goal(
    session: Session, workflow: Workflow, definition: Definition, record_id: int
) -> bool:
    """End the record's active enrolment when it now meets the goal (a change just made it
    so), rather than when its next step comes due; True when it left."""
    enrolment = active_enrolment(session, workflow.id, record_id)
    if enrolment is None or definition.goal is None:
        return False
    goal = definition_of(session, workflow, enrolment.version).goal
    now = clock.now()
    try:
        subject = RecordSubject(session, workflow.workspace_id, workflow.object_type, record_id)
    except NotFoundError:
        return False
    if goal is None or not matches(goal, subject, now):
        return False
    finish(session, enrolment, GOAL_MET, "left the workflow: it reached the goal", now)
    return True


def queue_step(session: Session, enrolment: Enrolment, path: str, run_at: datetime) -> None:
    """Queue the job that runs step ``path`` (once: the job's key is the step's key)."""
    writes = StepWrites()
    writes.queue(EnrolmentRef.of(enrolment), path, run_at)
    writes.flush(session)


def finish(
    session: Session, enrolment: Enrolment, status: str, message: str, now: datetime
) -> None:
    """End an enrolment (completed, stopped, goal met...) and say why in the trail."""
    writes = StepWrites()
    writes.finish(EnrolmentRef.of(enrolment), status, message, now)
    writes.flush(session)


def write_trail(
    session: Session,
    enrolment: Enrolment,
    message: str,
    at: datetime,
    details: dict[str, Any] | None = None,
) -> None:
    """Add a line to the record's run trail (``details``: what the step made, by id, for
    links from a page)."""
    writes = StepWrites()
    writes.note(EnrolmentRef.of(enrolment), message, at, details)
    writes.flush(session)


RecordKey = tuple[int, str, int]
"""(workspace, object type, record id)."""


def _records(
    session: Session, candidates: Sequence[Candidate]
) -> tuple[set[RecordKey], dict[RecordKey, RecordSubject]]:
    """Which of the candidates' records exist, and the subjects of those a filter
    (``enrol_when``, goal) looks at: one query per workspace and object type for each; a
    record no filter reads is only looked up by id."""
    wanted: dict[tuple[int, str], set[int]] = {}
    filtered: dict[tuple[int, str], set[int]] = {}
    for c in candidates:
        group = (c.workflow.workspace_id, c.workflow.object_type)
        wanted.setdefault(group, set()).add(c.record_id)
        if c.definition.enrol_when is not None or c.definition.goal is not None:
            filtered.setdefault(group, set()).add(c.record_id)
    present: set[RecordKey] = set()
    subjects: dict[RecordKey, RecordSubject] = {}
    for (workspace_id, object_type), record_ids in wanted.items():
        read = filtered.get((workspace_id, object_type), set())
        found = RecordSubject.many(session, workspace_id, object_type, sorted(read)) if read else {}
        for record_id, subject in found.items():
            subjects[(workspace_id, object_type, record_id)] = subject
        existing = set(found)
        rest = sorted(record_ids - read)
        if rest:
            model = object_spec(object_type).model
            existing |= WorkspaceRepository(session, workspace_id).existing_ids(model, rest)
        present |= {(workspace_id, object_type, record_id) for record_id in existing}
    return present, subjects


def _active_pairs(session: Session, candidates: Sequence[Candidate]) -> set[tuple[int, int]]:
    """(workflow, record) pairs among the candidates that have an active enrolment."""
    workflow_ids = {c.workflow.id for c in candidates}
    record_ids = {c.record_id for c in candidates}
    rows = session.execute(
        select(Enrolment.workflow_id, Enrolment.record_id).where(
            Enrolment.workflow_id.in_(workflow_ids),
            dialect_of(session).in_batch(Enrolment.record_id, list(record_ids)),
            Enrolment.status == ACTIVE,
        )
    )
    return {(workflow_id, record_id) for workflow_id, record_id in rows}


def _enrolment_row(candidate: Candidate, key: str, now: datetime) -> dict[str, Any]:
    workflow = candidate.workflow
    return {
        "workspace_id": workflow.workspace_id,
        "workflow_id": workflow.id,
        "version": workflow.current_version,
        "object_type": workflow.object_type,
        "record_id": candidate.record_id,
        "status": ACTIVE,
        "enrolment_key": key,
        "trigger": candidate.trigger,
        "reason": candidate.reason,
        "enrolled_at": now,
    }
