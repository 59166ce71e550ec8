"""Triggers: which outbox events enrol a record in a workflow, and why (in words).

Each trigger type is a small pydantic model that matches an event and says the reason
("lifecycle_stage changed from lead to mql"). ``schedule`` and ``manual`` match no event:
the scheduler and people enrol for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from pydantic import Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.cron import CronSchedule
from dealflow.automate.schema import PropertySchema
from dealflow.automate.validation import StrictModel, validated
from dealflow.core.errors import InvalidFieldsError
from dealflow.crm import outbox
from dealflow.crm.objects import ENGAGEMENT_KINDS
from dealflow.models import Stage


@dataclass
class MatchContext:
    """Lookups triggers share while matching a batch of events (stage names by id)."""

    session: Session
    stage_names: dict[int, str] = field(default_factory=dict)

    def stage_name(self, stage_id: Any) -> str | None:
        if not isinstance(stage_id, int):
            return None
        if stage_id not in self.stage_names:
            name = self.session.scalar(select(Stage.name).where(Stage.id == stage_id))
            self.stage_names[stage_id] = name or ""
        return self.stage_names[stage_id] or None


class Trigger(StrictModel):
    """Base of the trigger types; ``objects`` limits which object types may use one."""

    objects: ClassVar[tuple[str, ...]] = ("contacts", "companies", "deals", "tickets")

    def match(self, event: outbox.Event, context: MatchContext) -> str | None:
        """Why ``event`` enrols its record (None: it does not)."""
        return None

    def check(self, schema: PropertySchema, session: Session, path: str) -> None:
        """Save-time checks against the workspace."""
        return

    def describe(self) -> str:
        """The trigger in words, for listings."""
        return str(self.model_dump(exclude_none=True, by_alias=True))


def _check_property(schema: PropertySchema, name: str, path: str) -> None:
    try:
        schema.resolve(name)
    except KeyError as error:
        raise InvalidFieldsError([(path, str(error.args[0]))]) from None


def _shown(value: Any) -> str:
    return "(empty)" if value is None or value == "" else str(value)


class RecordCreated(Trigger):
    type: Literal["record_created"]

    def match(self, event: outbox.Event, context: MatchContext) -> str | None:
        if event.topic != outbox.RECORD_CREATED:
            return None
        source = event.payload.get("source")
        return f"it was created (source: {source})" if source else "it was created"

    def describe(self) -> str:
        return "record created"


class RecordUpdated(Trigger):
    type: Literal["record_updated"]
    properties: list[str] | None = None

    def match(self, event: outbox.Event, context: MatchContext) -> str | None:
        if event.topic != outbox.PROPERTY_CHANGED:
            return None
        name = event.payload.get("property")
        if self.properties and name not in self.properties:
            return None
        return (
            f"{name} changed from {_shown(event.payload.get('old'))} "
            f"to {_shown(event.payload.get('new'))}"
        )

    def check(self, schema: PropertySchema, session: Session, path: str) -> None:
        for index, name in enumerate(self.properties or []):
            _check_property(schema, name, f"{path}.properties[{index}]")

    def describe(self) -> str:
        names = ", ".join(self.properties or [])
        return f"record updated ({names})" if names else "record updated"


class PropertyChanged(Trigger):
    type: Literal["property_changed"]
    property: str
    from_: Any = Field(default=None, alias="from")
    to: Any = None

    def match(self, event: outbox.Event, context: MatchContext) -> str | None:
        payload = event.payload
        if event.topic != outbox.PROPERTY_CHANGED or payload.get("property") != self.property:
            return None
        old, new = payload.get("old"), payload.get("new")
        if self.from_ is not None and not _same(old, self.from_):
            return None
        if self.to is not None and not _same(new, self.to):
            return None
        return f"{self.property} changed from {_shown(old)} to {_shown(new)}"

    def check(self, schema: PropertySchema, session: Session, path: str) -> None:
        _check_property(schema, self.property, f"{path}.property")

    def describe(self) -> str:
        parts = [f"{self.property} changed"]
        if self.from_ is not None:
            parts.append(f"from {self.from_}")
        if self.to is not None:
            parts.append(f"to {self.to}")
        return " ".join(parts)


class DealStageEntered(Trigger):
    type: Literal["deal_stage_entered"]
    stage: str = Field(min_length=1)
    objects: ClassVar[tuple[str, ...]] = ("deals",)

    def match(self, event: outbox.Event, context: MatchContext) -> str | None:
        if event.topic != outbox.DEAL_STAGE_CHANGED:
            return None
        entered = context.stage_name(event.payload.get("to_stage_id"))
        if entered is None or entered.casefold() != self.stage.casefold():
            return None
        left = context.stage_name(event.payload.get("from_stage_id"))
        return f"it entered stage {entered}" + (f" (from {left})" if left else "")

    def check(self, schema: PropertySchema, session: Session, path: str) -> None:
        names = session.scalars(select(Stage.name).where(Stage.workspace_id == schema.workspace_id))
        known = sorted(set(names))
        if self.stage.casefold() not in {name.casefold() for name in known}:
            raise InvalidFieldsError(
                [
                    (
                        f"{path}.stage",
                        f"no stage is called {self.stage!r}; stages: {', '.join(known)}",
                    )
                ]
            )

    def describe(self) -> str:
        return f"deal entered stage {self.stage}"


class EngagementOfKind(Trigger):
    type: Literal["engagement"]
    kind: str
    objects: ClassVar[tuple[str, ...]] = ("contacts",)

    @field_validator("kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        if kind not in ENGAGEMENT_KINDS:
            raise ValueError(f"expected one of: {', '.join(ENGAGEMENT_KINDS)}")
        return kind

    def match(self, event: outbox.Event, context: MatchContext) -> str | None:
        if event.topic != outbox.ENGAGEMENT_RECORDED or event.payload.get("kind") != self.kind:
            return None
        url = event.payload.get("url")
        return f"a {self.kind} engagement was recorded" + (f" ({url})" if url else "")

    def describe(self) -> str:
        return f"engagement: {self.kind}"


class FormSubmitted(Trigger):
    type: Literal["form_submitted"]
    url_contains: str | None = None
    objects: ClassVar[tuple[str, ...]] = ("contacts",)

    def match(self, event: outbox.Event, context: MatchContext) -> str | None:
        if event.topic != outbox.ENGAGEMENT_RECORDED or event.payload.get("kind") != "form_submit":
            return None
        url = event.payload.get("url") or ""
        if self.url_contains and self.url_contains not in url:
            return None
        return "a form was submitted" + (f" ({url})" if url else "")

    def describe(self) -> str:
        return "form submitted" + (f" ({self.url_contains})" if self.url_contains else "")


class ScoreCrossed(Trigger):
    type: Literal["score_crossed"]
    property: str = "score"
    threshold: float
    direction: Literal["up", "down"] = "up"

    def match(self, event: outbox.Event, context: MatchContext) -> str | None:
        payload = event.payload
        if event.topic != outbox.PROPERTY_CHANGED or payload.get("property") != self.property:
            return None
        old, new = _number(payload.get("old")), _number(payload.get("new"))
        if new is None:
            return None
        if self.direction == "up":
            crossed = new >= self.threshold and (old is None or old < self.threshold)
        else:
            crossed = new < self.threshold and (old is None or old >= self.threshold)
        if not crossed:
            return None
        side = "above" if self.direction == "up" else "below"
        shown = f"{_shown(payload.get('old'))} -> {_shown(payload.get('new'))}"
        return f"{self.property} went {side} {self.threshold:g} ({shown})"

    def check(self, schema: PropertySchema, session: Session, path: str) -> None:
        _check_property(schema, self.property, f"{path}.property")

    def describe(self) -> str:
        return f"{self.property} crosses {self.threshold:g} going {self.direction}"


class Scheduled(Trigger):
    type: Literal["schedule"]
    cron: str

    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, cron: str) -> str:
        CronSchedule.parse(cron)
        return cron

    def describe(self) -> str:
        return f"schedule {self.cron} (UTC)"


class Manual(Trigger):
    type: Literal["manual"]

    def describe(self) -> str:
        return "manual enrolment"


TRIGGERS: dict[str, type[Trigger]] = {
    "record_created": RecordCreated,
    "record_updated": RecordUpdated,
    "property_changed": PropertyChanged,
    "deal_stage_entered": DealStageEntered,
    "engagement": EngagementOfKind,
    "form_submitted": FormSubmitted,
    "score_crossed": ScoreCrossed,
    "schedule": Scheduled,
    "manual": Manual,
}


def parse_trigger(raw: dict[str, Any], object_type: str, path: str) -> Trigger:
    """The trigger of a document; problems name their path."""
    kind = raw.get("type")
    model = TRIGGERS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise InvalidFieldsError([(f"{path}.type", f"expected one of: {', '.join(TRIGGERS)}")])
    if object_type not in model.objects:
        raise InvalidFieldsError(
            [(f"{path}.type", f"{kind} triggers work on {', '.join(model.objects)} only")]
        )
    return validated(model, raw, path)


def _same(value: Any, expected: Any) -> bool:
    return value == expected or str(value).casefold() == str(expected).casefold()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
