"""The trigger matcher: reads the outbox with its own durable cursor and enrols records in
the enabled workflows whose triggers match, in the transaction that moves the cursor, so a
restart resumes exactly where it stopped and an event never enrols twice."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from sqlalchemy.orm import Session, sessionmaker

from dealflow.automate import actions
from dealflow.automate.definitions import Definition
from dealflow.automate.enrolments import enrol, leave_at_goal
from dealflow.automate.repository import definition_of, enabled_workflows
from dealflow.automate.triggers import MatchContext
from dealflow.crm import outbox
from dealflow.models import OutboxEvent, Workflow

CONSUMER = "workflows"
BATCH = 500

assert actions.ACTIONS  # the core actions are registered before any definition is read


def match_events(session: Session, limit: int = BATCH, *, wait: bool = True) -> tuple[int, int]:
    """Enrol records for the next ``limit`` outbox events; returns (events read, enrolments).

    The cursor row is locked first, so matchers in several workers take turns; with
    ``wait=False`` a matcher whose turn it is not reads nothing.
    """
    if not outbox.take_turn(session, CONSUMER, wait=wait):
        return 0, 0
    events = outbox.read(session, CONSUMER, limit)
    if not events:
        return 0, 0
    workflows = _by_workspace(session, {event.workspace_id for event in events})
    context = MatchContext(session)
    enrolled = 0
    for event in events:
        for workflow, definition in workflows.get(event.workspace_id, []):
            enrolled += _match(session, context, workflow, definition, event)
    outbox.acknowledge(session, CONSUMER, events[-1].id)
    return len(events), enrolled


def run_matcher_once(sessions: sessionmaker[Session], limit: int = BATCH) -> int:
    """Match until the outbox holds nothing new, one transaction per batch; returns the
    enrolments made (what a worker's loop calls). While another worker is matching, this
    one returns at once and goes on to run steps."""
    return outbox.drain(sessions, partial(match_events, wait=False), limit)


def _match(
    session: Session,
    context: MatchContext,
    workflow: Workflow,
    definition: Definition,
    event: OutboxEvent,
) -> int:
    if event.object_type != workflow.object_type or event.record_id is None:
        return 0
    if workflow.enabled_at is not None and event.occurred_at < workflow.enabled_at:
        return 0
    if definition.goal is not None and event.topic == outbox.PROPERTY_CHANGED:
        leave_at_goal(session, workflow, definition, event.record_id)
    reason = definition.trigger.match(event, context)
    if reason is None:
        return 0
    enrolment = enrol(
        session,
        workflow,
        event.record_id,
        trigger=definition.trigger.describe(),
        reason=reason,
        cause=f"event:{event.id}",
        definition=definition,
    )
    return int(enrolment is not None)


def _by_workspace(
    session: Session, workspace_ids: set[int]
) -> dict[int, list[tuple[Workflow, Definition]]]:
    """The enabled workflows of each workspace with their current definitions (read once
    per batch, not once per event)."""
    grouped: dict[int, list[tuple[Workflow, Definition]]] = defaultdict(list)
    for workflow in enabled_workflows(session, workspace_ids):
        grouped[workflow.workspace_id].append((workflow, definition_of(session, workflow)))
    return grouped
