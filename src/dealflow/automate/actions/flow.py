"""Actions that steer the run: delay, if/else branch, enrol in another workflow, stop."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, field_validator, model_validator
from sqlalchemy.orm import Session

from dealflow.automate.action_interface import STOP, Action, ActionParams, Outcome, StepContext
from dealflow.automate.enrolments import enrol
from dealflow.automate.filters import (
    FilterError,
    as_moment,
    check_filter,
    matches,
    parse_filter,
)
from dealflow.automate.records import RecordSubject
from dealflow.automate.repository import find_workflow_named
from dealflow.automate.schema import PropertyKind, PropertySchema
from dealflow.automate.validation import Duration, format_duration
from dealflow.core.errors import InvalidFieldsError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class DelayParams(ActionParams):
    """Exactly one of: ``for`` (a duration), ``until_property`` (a date property, plus an
    optional ``offset``), or ``weekday`` + ``time`` (in the record's time zone)."""

    for_: Duration | None = Field(default=None, alias="for")
    until_property: str | None = None
    offset: Duration | None = None
    weekday: Weekday | None = None
    time: str | None = None
    time_zone: str | None = None

    @field_validator("time")
    @classmethod
    def _clock_time(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                time.fromisoformat(value)
            except ValueError:
                raise ValueError('expected a time like "09:00"') from None
        return value

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        if value is not None:
            _zone_named(value)
        return value

    @model_validator(mode="after")
    def _one_mode(self) -> DelayParams:
        modes = [self.for_ is not None, self.until_property is not None, self.weekday is not None]
        if sum(modes) != 1:
            raise ValueError("give exactly one of: for, until_property, weekday (with time)")
        if (self.weekday is None) != (self.time is None):
            raise ValueError("weekday and time go together")
        return self


class Delay(Action):
    """Wait before the next step; the next step's job is queued to run then (durable)."""

    name = "delay"
    params = DelayParams

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        if params.until_property is None:
            return
        try:
            prop = schema.resolve(params.until_property)
        except KeyError as error:
            raise InvalidFieldsError([(f"{path}.until_property", str(error.args[0]))]) from None
        if prop.kind != PropertyKind.date:
            raise InvalidFieldsError(
                [(f"{path}.until_property", f"{prop.name} is {prop.kind}, not a date")]
            )

    def run(self, params: Any, context: StepContext) -> Outcome:
        until, words = self._until(params, context)
        if until is None or until <= context.now:
            return Outcome(f"{words}; not waiting")
        return Outcome(f"waiting until {words}", wait_until=until)

    def preview(self, params: Any, context: StepContext) -> Outcome:
        outcome = self.run(params, context)
        return Outcome(f"would be {outcome.message}", wait_until=outcome.wait_until)

    def _until(self, params: Any, context: StepContext) -> tuple[datetime | None, str]:
        if params.for_ is not None:
            until = context.now + params.for_
            return until, f"{until:%A %Y-%m-%d %H:%M} UTC ({format_duration(params.for_)})"
        if params.until_property is not None:
            return _property_moment(context.subject, params.until_property, params.offset)
        zone_name = params.time_zone or _record_zone(context.subject) or "UTC"
        zone = _zone_named(zone_name)
        until = next_weekday_time(
            context.now, params.weekday, time.fromisoformat(params.time), zone
        )
        return until, f"{until.astimezone(zone):%A %H:%M} {zone_name}"


def next_weekday_time(now: datetime, weekday: str, at: time, zone: ZoneInfo) -> datetime:
    """The next ``weekday`` at ``at`` in ``zone`` strictly after ``now`` (aware, UTC)."""
    local = now.astimezone(zone)
    days_ahead = (WEEKDAYS.index(weekday) - local.weekday()) % 7
    candidate = datetime.combine(local.date() + timedelta(days=days_ahead), at, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(candidate.date() + timedelta(days=7), at, tzinfo=zone)
    return candidate.astimezone(now.tzinfo)


def _property_moment(
    subject: RecordSubject, name: str, offset: timedelta | None
) -> tuple[datetime | None, str]:
    moment = as_moment(subject.value(name))
    if moment is None:
        return None, f"{name} is unknown"
    until = moment + (offset or timedelta())
    return until, f"{name} ({until:%A %Y-%m-%d %H:%M} UTC)"


def _record_zone(subject: RecordSubject) -> str | None:
    """The time zone of the record's contact (the contact itself, a ticket's or deal's)."""
    if subject.object_type == "contacts":
        zones = [subject.value("time_zone")]
    else:
        zones = [*subject.values("contact.time_zone"), *subject.values("contacts.time_zone")]
    for zone in zones:
        if zone:
            try:
                _zone_named(zone)
            except ValueError:
                continue
            return str(zone)
    return None


def _zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use a name like Asia/Tokyo)") from None


class BranchParams(ActionParams):
    if_: dict[str, Any] = Field(alias="if")
    then: list[dict[str, Any]] = Field(default_factory=list)
    else_: list[dict[str, Any]] = Field(default_factory=list, alias="else")

    @model_validator(mode="after")
    def _some_branch(self) -> BranchParams:
        if not self.then and not self.else_:
            raise ValueError("give steps under then, else, or both")
        return self


class Branch(Action):
    """If the record matches the filter, run the ``then`` steps, else the ``else`` steps;
    then carry on after the branch."""

    name = "branch"
    params = BranchParams

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        try:
            check_filter(parse_filter(params.if_, f"{path}.if"), schema, f"{path}.if")
        except FilterError as error:
            raise InvalidFieldsError([(error.path, error.message)]) from None

    def branches(self, params: Any) -> dict[str, list[Any]]:
        return {"then": params.then, "else": params.else_}

    def run(self, params: Any, context: StepContext) -> Outcome:
        met = matches(parse_filter(params.if_), context.subject, context.now)
        branch = "then" if met else "else"
        return Outcome(f"condition {'met' if met else 'not met'}: took {branch}", go=branch)

    def preview(self, params: Any, context: StepContext) -> Outcome:
        outcome = self.run(params, context)
        return Outcome(f"would find the {outcome.message}", go=outcome.go)


class EnrolParams(ActionParams):
    workflow: str = Field(min_length=1)


class EnrolInWorkflow(Action):
    """Enrol the record in another workflow of the same object type."""

    name = "enrol"
    params = EnrolParams

    def check(self, params: Any, schema: PropertySchema, session: Session, path: str) -> None:
        target = find_workflow_named(session, schema.workspace_id, params.workflow)
        if target is None:
            raise InvalidFieldsError([(f"{path}.workflow", f"no workflow {params.workflow!r}")])
        if target.object_type != schema.object_type:
            raise InvalidFieldsError(
                [(f"{path}.workflow", f"{params.workflow!r} enrols {target.object_type}")]
            )

    def run(self, params: Any, context: StepContext) -> Outcome:
        target = find_workflow_named(context.session, context.workspace_id, params.workflow)
        if target is None or not target.is_enabled:
            return Outcome(f"did not enrol in {params.workflow!r}: it is missing or disabled")
        enrolment = enrol(
            context.session,
            target,
            context.subject.record_id,
            trigger="enrol action",
            reason=f"workflow {context.workflow_name!r} enrolled it",
            cause=context.idempotency_key,
            now=context.now,
        )
        if enrolment is None:
            return Outcome(f"did not enrol in {params.workflow!r}: its rules keep the record out")
        return Outcome(
            f"enrolled it in {params.workflow!r} (enrolment #{enrolment.id})",
            result={"enrolment_id": enrolment.id},
        )

    def preview(self, params: Any, context: StepContext) -> Outcome:
        return Outcome(f"would enrol it in {params.workflow!r}")


class StopParams(ActionParams):
    reason: str | None = None


class Stop(Action):
    """End the enrolment here."""

    name = "stop"
    params = StopParams

    def run(self, params: Any, context: StepContext) -> Outcome:
        return Outcome("stopped" + (f": {params.reason}" if params.reason else ""), go=STOP)

    def preview(self, params: Any, context: StepContext) -> Outcome:
        return Outcome("would stop" + (f": {params.reason}" if params.reason else ""), go=STOP)
