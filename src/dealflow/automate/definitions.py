"""Workflow definitions: a YAML or JSON document, validated into a tree the engine runs.

Every problem names the path of the bad field (``steps[2].action.due_in: expected a duration
like "3d"``). ``parse_definition`` checks the shape; with a session it also checks what the
workspace must hold (properties, stages, users, other workflows).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

import yaml
from pydantic import Field
from sqlalchemy.orm import Session

from dealflow.automate.action_interface import ACTIONS
from dealflow.automate.filters import Filter, FilterError, check_filter, parse_filter
from dealflow.automate.schema import PropertySchema
from dealflow.automate.triggers import Trigger, parse_trigger
from dealflow.automate.validation import StrictModel, validated
from dealflow.core.errors import InvalidFieldsError, InvalidInputError
from dealflow.crm.objects import OBJECTS


class WorkflowDocument(StrictModel):
    """The top of a workflow document."""

    name: str = Field(min_length=1, max_length=200)
    object: Literal["contacts", "companies", "deals", "tickets"]
    description: str | None = None
    trigger: dict[str, Any]
    enrol_when: dict[str, Any] | None = None
    goal: dict[str, Any] | None = None
    reenrol: Literal["never", "after_exit"] = "never"
    steps: list[dict[str, Any]] = Field(min_length=1)


class StepDocument(StrictModel):
    name: str | None = None
    action: dict[str, Any]


@dataclass(frozen=True)
class Step:
    """One step: where it sits (``2`` or ``2.then.0``), its action and parameters."""

    path: str
    name: str | None
    action: str
    params: Any
    branches: dict[str, tuple[Step, ...]]

    @property
    def label(self) -> str:
        return step_label(self.path)


def step_label(path: str) -> str:
    """``step 3`` or ``step 3 > then 1`` for a step path, counted from 1 as people do."""
    parts = path.split(".")
    words = [f"step {int(parts[0]) + 1}"]
    words += [
        f"{branch} {int(index) + 1}" for branch, index in zip(parts[1::2], parts[2::2], strict=True)
    ]
    return " > ".join(words)


@dataclass(frozen=True)
class Definition:
    name: str
    object_type: str
    description: str | None
    trigger: Trigger
    enrol_when: Filter | None
    goal: Filter | None
    reenrol: str
    steps: tuple[Step, ...]
    document: dict[str, Any]

    def step_at(self, path: str) -> Step:
        """The step at ``path`` (KeyError when this version has none there)."""
        for step in self.walk():
            if step.path == path:
                return step
        raise KeyError(path)

    def walk(self) -> Iterator[Step]:
        """Every step, depth first."""
        yield from _walk(self.steps)

    def next_path(self, path: str) -> str | None:
        """The step after ``path`` once it is done (out of a branch when it ends)."""
        parts = path.split(".")
        while parts:
            siblings = self._siblings(parts[:-1])
            index = int(parts[-1]) + 1
            if index < len(siblings):
                return ".".join([*parts[:-1], str(index)])
            parts = parts[:-2]
        return None

    def branch_path(self, path: str, branch: str) -> str | None:
        """The first step of ``branch`` of the step at ``path`` (or the step after it when
        the branch is empty)."""
        if self.step_at(path).branches.get(branch):
            return f"{path}.{branch}.0"
        return self.next_path(path)

    def _siblings(self, parent: list[str]) -> tuple[Step, ...]:
        if not parent:
            return self.steps
        return self.step_at(".".join(parent[:-1])).branches[parent[-1]]


def _walk(steps: tuple[Step, ...]) -> Iterator[Step]:
    for step in steps:
        yield step
        for branch in step.branches.values():
            yield from _walk(branch)


def load_document(text: str, source: str = "definition") -> dict[str, Any]:
    """A YAML or JSON document (JSON is YAML) as a mapping."""
    try:
        document = yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError as error:
        raise InvalidInputError(f"{source}: not valid YAML or JSON: {error}") from None
    if not isinstance(document, dict):
        raise InvalidInputError(f"{source}: expected a mapping with name, object, trigger, steps")
    return json.loads(json.dumps(document, default=str))


def parse_definition(
    document: dict[str, Any], session: Session | None = None, workspace_id: int | None = None
) -> Definition:
    """The definition tree of ``document``; with a session, also checked against the
    workspace. InvalidFieldsError lists each problem with its path."""
    top = validated(WorkflowDocument, document, "")
    schema = (
        PropertySchema(session, workspace_id, top.object)
        if session is not None and workspace_id is not None
        else None
    )
    problems: list[tuple[str, str]] = []
    trigger = _collect(problems, lambda: parse_trigger(top.trigger, top.object, "trigger"))
    if trigger is not None and schema is not None and session is not None:
        _collect(problems, lambda: trigger.check(schema, session, "trigger"))
    enrol_when = _collect(problems, lambda: _filter(top.enrol_when, schema, "enrol_when"))
    goal = _collect(problems, lambda: _filter(top.goal, schema, "goal"))
    steps = _steps(top.steps, "", "steps", schema, session, problems)
    if problems:
        raise InvalidFieldsError(problems)
    assert trigger is not None
    return Definition(
        name=top.name,
        object_type=OBJECTS[top.object].name,
        description=top.description,
        trigger=trigger,
        enrol_when=enrol_when,
        goal=goal,
        reenrol=top.reenrol,
        steps=steps,
        document=document,
    )


def _filter(raw: dict[str, Any] | None, schema: PropertySchema | None, path: str) -> Filter | None:
    if raw is None:
        return None
    try:
        tree = parse_filter(raw, path)
        if schema is not None:
            check_filter(tree, schema, path)
    except FilterError as error:
        raise InvalidFieldsError([(error.path, error.message)]) from None
    return tree


def _steps(
    raw_steps: list[Any],
    prefix: str,
    path: str,
    schema: PropertySchema | None,
    session: Session | None,
    problems: list[tuple[str, str]],
) -> tuple[Step, ...]:
    steps = []
    for index, raw in enumerate(raw_steps):
        where = f"{path}[{index}]"
        step_path = f"{prefix}{index}"
        step = _collect(problems, validated, StepDocument, raw, where)
        if step is None:
            continue
        kind = step.action.get("type")
        action = ACTIONS.get(kind) if isinstance(kind, str) else None
        if action is None:
            problems.append((f"{where}.action.type", f"expected one of: {', '.join(ACTIONS)}"))
            continue
        fields = {key: value for key, value in step.action.items() if key != "type"}
        params = _collect(problems, validated, action.params, fields, f"{where}.action")
        if params is None:
            continue
        if schema is not None and session is not None:
            _collect(problems, action.check, params, schema, session, f"{where}.action")
        branches = {
            name: _steps(
                nested, f"{step_path}.{name}.", f"{where}.action.{name}", schema, session, problems
            )
            for name, nested in action.branches(params).items()
        }
        steps.append(Step(step_path, step.name, kind, params, branches))
    return tuple(steps)


def _collect(problems: list[tuple[str, str]], build: Any, *args: Any) -> Any:
    """``build(*args)``; its InvalidFieldsError problems are added to ``problems`` (None
    back), so one save lists every problem of the document."""
    try:
        return build(*args)
    except InvalidFieldsError as error:
        problems.extend(error.problems)
        return None
