"""The Action interface and its registry: what a workflow step can do.

The engine and the definition parser know actions only through ``ACTIONS``; each layer
registers its own (the core ones in ``automate.actions``, "send email" in ``outreach``), so
neither imports them. This module sits outside ``automate.actions`` so that reading a
definition never imports the actions, which themselves need definitions. An action
validates its parameters with a pydantic model, checks them against the workspace at save
time, runs (its writes commit with the step), and previews for a dry run without writing
anything.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from dealflow.automate.records import RecordSubject
from dealflow.automate.schema import PropertySchema
from dealflow.automate.validation import StrictModel

CONTINUE, STOP = "continue", "stop"


class ActionParams(StrictModel):
    """Base of every action's parameters: unknown fields are errors."""


@dataclass(frozen=True)
class StepContext:
    """What a step runs with: the record, the enrolment, the time, and its idempotency key."""

    session: Session
    workspace_id: int
    workflow_id: int
    workflow_name: str
    enrolment_id: int
    subject: RecordSubject
    now: datetime
    idempotency_key: str


@dataclass(frozen=True)
class Outcome:
    """What a step did (in words, for the run trail) and where the enrolment goes next:
    ``continue``, ``stop``, or a branch name (``then``/``else``); ``wait_until`` delays
    the next step."""

    message: str
    go: str = CONTINUE
    wait_until: datetime | None = None
    result: dict[str, Any] = field(default_factory=dict)


class Action(ABC):
    """One kind of step. Subclasses set ``name`` (the ``type`` in documents) and ``params``,
    and implement ``run`` and ``preview``."""

    name: ClassVar[str]
    params: ClassVar[type[ActionParams]]
    calls_out: ClassVar[bool] = False
    """True when the action has effects outside the database (an HTTP call, an email): such
    a step runs as its own job, so a failure retries only it."""
    keeps_subjects_current: ClassVar[bool] = False
    """True when, after the step, the record objects of its subjects hold the record as it
    is (the action changed them, if at all, through those objects): the engine then reads
    them again only for their associations, not from the database."""

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        """Save-time checks against the workspace (properties, users, workflows exist);
        raise InvalidFieldsError naming ``path``. Nothing to check by default."""
        return

    def reads_record(self, params: Any) -> bool:
        """Whether running the step reads the record's values (the engine then reads the
        records of a batch before it; a step that does not, such as a webhook of fixed
        data, runs without that read)."""
        return True

    def branches(self, params: Any) -> dict[str, list[Any]]:
        """Nested step lists by branch name (only branching actions have any)."""
        return {}

    @abstractmethod
    def run(self, params: Any, context: StepContext) -> Outcome:
        """Do the step; writes go through the context's session and commit with the step."""

    def run_many(self, params: Any, contexts: Sequence[StepContext]) -> list[Outcome | Exception]:
        """``run`` for many records at once (a batch of enrolments at this step), in order.
        An action that calls out puts the error of each call that failed in its place; one
        that only writes raises (the batch then rolls back and runs job by job)."""
        outcomes: list[Outcome | Exception] = []
        for context in contexts:
            try:
                outcomes.append(self.run(params, context))
            except Exception as error:
                if not self.calls_out:
                    raise
                outcomes.append(error)
        return outcomes

    @abstractmethod
    def preview(self, params: Any, context: StepContext) -> Outcome:
        """Say what ``run`` would do, writing nothing (dry run)."""


ACTIONS: dict[str, Action] = {}


def register_action(action: Action) -> Action:
    """Make ``action`` available to workflow definitions under ``action.name``."""
    existing = ACTIONS.get(action.name)
    if existing is not None and type(existing) is not type(action):
        raise ValueError(f"action type {action.name!r} is already registered: {existing!r}")
    ACTIONS[action.name] = action
    return action
