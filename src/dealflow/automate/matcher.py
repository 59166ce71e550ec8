"""The trigger matcher: reads the outbox with its own durable cursor and enrols records in
the enabled workflows whose triggers match, in the transaction that moves the cursor, so a
restart resumes exactly where it stopped and an event never enrols twice."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from dealflow.automate import actions
from dealflow.automate.definitions import Definition
from dealflow.automate.enrolments import Candidate, enrol_many, leave_at_goal
from dealflow.automate.repository import definition_of, enabled_workflows
from dealflow.automate.triggers import MatchContext
from dealflow.crm import outbox
from dealflow.models import Workflow

CONSUMER = "workflows"
BATCH = 500

assert actions.ACTIONS  # the core actions are registered before any definition is read


def match_events(session: Session, limit: int = BATCH, *, wait: bool = True) -> tuple[int, int]:
    """Enrol records for the next ``limit`` outbox events; returns (events read, enrolments).

    The cursor row is locked first, so matchers in several workers take turns; with
    ``wait=False`` a matcher whose turn it is not reads nothing. Triggers are evaluated in
    Python; the batch's enrolments, trail lines and first jobs are written together
    (``enrol_many``), in the transaction that moves the cursor.
    """
    if not outbox.take_turn(session, CONSUMER, wait=wait):
        return 0, 0
    events = outbox.read(session, CONSUMER, limit)
    if not events:
        return 0, 0
    workflows = _by_workspace(session, {event.workspace_id for event in events})
    context = MatchContext(session)
    candidates: list[Candidate] = []
    enrolled = 0
    for event in events:
        record_id = event.record_id
        if record_id is None:
            continue
        for workflow, definition in workflows.get(event.workspace_id, []):
            if not _concerns(workflow, event):
                continue
            if definition.goal is not None and event.topic == outbox.PROPERTY_CHANGED:
                # the records enrolled so far must be in the table to leave at the goal
                enrolled += len(enrol_many(session, candidates))
                candidates = []
                leave_at_goal(session, workflow, definition, record_id)
            reason = definition.trigger.match(event, context)
            if reason is not None:
                trigger = definition.trigger.describe()
                cause = f"event:{event.id}"
                candidates.append(
                    Candidate(workflow, definition, record_id, trigger, reason, cause)
                )
    enrolled += len(enrol_many(session, candidates))
    outbox.acknowledge(session, CONSUMER, events[-1].id)
    return len(events), enrolled


def run_matcher_once(sessions: sessionmaker[Session], limit: int = BATCH) -> int:
    """Match until the outbox holds nothing new, one transaction per batch; returns the
    enrolments made (what a worker's loop calls). While another worker is matching, this
    one returns at once and goes on to run steps."""
    return outbox.drain(sessions, partial(match_events, wait=False), limit)


def _concerns(workflow: Workflow, event: outbox.Event) -> bool:
    """Whether ``event`` is about a record the workflow could enrol."""
    if event.object_type != workflow.object_type:
        return False
    return workflow.enabled_at is None or event.occurred_at >= workflow.enabled_at


def _by_workspace(
    session: Session, workspace_ids: set[int]
) -> dict[int, list[tuple[Workflow, Definition]]]:
    """The enabled workflows of each workspace with their current definitions (read once
    per batch, not once per event)."""
    grouped: dict[int, list[tuple[Workflow, Definition]]] = defaultdict(list)
    for workflow in enabled_workflows(session, workspace_ids):
        grouped[workflow.workspace_id].append((workflow, definition_of(session, workflow)))
    return grouped
