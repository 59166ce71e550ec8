"""The AI branch: classify the record's inquiry and take ``then`` when its label is one of
the given ones (with enough confidence), else ``else``."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator, model_validator
from sqlalchemy.orm import Session

from dealflow.automate.action_interface import Action, ActionParams, Outcome, StepContext
from dealflow.automate.classify.embedder import default_embedder
from dealflow.automate.classify.service import (
    INQUIRY_OBJECTS,
    Verdict,
    classify_record,
    classify_text,
    inquiry_text,
    label_names,
)
from dealflow.automate.schema import PropertySchema
from dealflow.core.errors import InvalidFieldsError


class AiBranchParams(ActionParams):
    label: list[str] = Field(min_length=1)
    min_confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    then: list[dict[str, Any]] = Field(default_factory=list)
    else_: list[dict[str, Any]] = Field(default_factory=list, alias="else")

    @field_validator("label", mode="before")
    @classmethod
    def _one_or_more(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _some_branch(self) -> AiBranchParams:
        if not self.then and not self.else_:
            raise ValueError("give steps under then, else, or both")
        return self


class AiBranch(Action):
    """Run ``then`` when the inquiry's label is in ``label`` with confidence of at least
    ``min_confidence``; otherwise (or when the record has no inquiry text) run ``else``.
    The label, confidence and model version are kept with the record."""

    name = "ai_branch"
    params = AiBranchParams

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        if schema.object_type not in INQUIRY_OBJECTS:
            raise InvalidFieldsError(
                [(f"{path}.type", f"ai_branch reads inquiries of {' or '.join(INQUIRY_OBJECTS)}")]
            )
        known = label_names(session, schema.workspace_id)
        for index, label in enumerate(params.label):
            if label not in known:
                raise InvalidFieldsError(
                    [
                        (
                            f"{path}.label[{index}]",
                            f"unknown label {label!r}; labels: {', '.join(known)}",
                        )
                    ]
                )

    def branches(self, params: Any) -> dict[str, list[Any]]:
        return {"then": params.then, "else": params.else_}

    def run(self, params: Any, context: StepContext) -> Outcome:
        subject = context.subject
        row = classify_record(
            context.session,
            context.workspace_id,
            subject.object_type,
            subject.record_id,
            default_embedder(),
            now=context.now,
        )
        if row is None:
            return Outcome("the record has no inquiry text: took else", go="else")
        verdict = Verdict(row.label, row.confidence, row.method, row.model_version)
        branch = _branch(params, verdict)
        return Outcome(
            f"the inquiry is {_words(verdict)}: took {branch}",
            go=branch,
            result={"classification_id": row.id, "label": row.label},
        )

    def preview(self, params: Any, context: StepContext) -> Outcome:
        subject = context.subject
        text = inquiry_text(
            context.session, context.workspace_id, subject.object_type, subject.record_id
        )
        if text is None:
            return Outcome("the record has no inquiry text: would take else", go="else")
        verdict = classify_text(context.session, context.workspace_id, text, default_embedder())
        branch = _branch(params, verdict)
        return Outcome(f"the inquiry is {_words(verdict)}: would take {branch}", go=branch)


def _branch(params: Any, verdict: Verdict) -> str:
    met = verdict.label in params.label and verdict.confidence >= params.min_confidence
    return "then" if met else "else"


def _words(verdict: Verdict) -> str:
    how = "zero-shot" if verdict.model_version is None else f"model v{verdict.model_version}"
    return f"{verdict.label!r} (confidence {verdict.confidence:.2f}, {how})"
