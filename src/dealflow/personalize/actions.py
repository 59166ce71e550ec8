"""The ``draft_email`` workflow action: draft an email for the enrolled contact into the
review queue. Nothing is sent: approved drafts wait for outreach's send.

Registered into the workflow engine's action registry when this module is imported (the
interfaces and the worker import it; automate never imports personalize)."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy.orm import Session

from dealflow.automate.actions import Action, ActionParams, Outcome, StepContext, register_action
from dealflow.automate.schema import PropertySchema
from dealflow.core.errors import InvalidFieldsError, NotFoundError
from dealflow.personalize.drafting import Drafter
from dealflow.personalize.segments import get_segment


class DraftEmailParams(ActionParams):
    segment: str | None = None
    """The segment whose message template the draft follows (by name)."""
    generator: Literal["offline", "llm"] = "offline"


class DraftEmail(Action):
    """Draft an email for the contact (with a segment's template) into the review queue."""

    name = "draft_email"
    params = DraftEmailParams
    calls_out = True  # the llm generator calls an HTTP API: the step runs as its own job

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        if schema.object_type != "contacts":
            raise InvalidFieldsError([(path, "draft_email drafts for contacts only")])
        if params.segment is not None:
            try:
                get_segment(session, schema.workspace_id, params.segment)
            except NotFoundError as error:
                raise InvalidFieldsError([(f"{path}.segment", error.message)]) from None

    def run(self, params: Any, context: StepContext) -> Outcome:
        segment = (
            get_segment(context.session, context.workspace_id, params.segment)
            if params.segment
            else None
        )
        drafter = Drafter(context.session, context.workspace_id, params.generator)
        draft = drafter.queue(
            context.subject.record_id,
            segment,
            source="workflow",
            workflow_id=context.workflow_id,
            idempotency_key=f"workflow:{context.idempotency_key}",
        )
        flagged = sum(1 for claim in draft.grounding_report if not claim.get("supported"))
        state = f", {flagged} unsupported statement(s) flagged" if flagged else ""
        return Outcome(
            f"drafted email #{draft.id} ({draft.generator}, {draft.language}) into the review "
            f"queue{state}",
            result={"draft_id": draft.id},
        )

    def preview(self, params: Any, context: StepContext) -> Outcome:
        where = f" with segment {params.segment!r}" if params.segment else ""
        return Outcome(f"would draft an email ({params.generator}){where} into the review queue")


DRAFT_EMAIL = register_action(DraftEmail())
