"""Validation helpers shared by definitions, triggers and actions: durations, and pydantic
errors turned into ``path: problem`` lines."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError

from dealflow.core.errors import InvalidFieldsError

DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
DURATION_HINT = 'expected a duration like "3d" (s, m, h, d or w)'

Model = TypeVar("Model", bound=BaseModel)


class StrictModel(BaseModel):
    """A document part where unknown fields are errors (a typo never passes silently)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


def parse_duration(raw: Any) -> timedelta:
    """``"3d"`` -> 3 days; ``"90m"`` -> 90 minutes."""
    if isinstance(raw, timedelta):
        return raw
    match = DURATION.match(raw) if isinstance(raw, str) else None
    if match is None:
        raise ValueError(DURATION_HINT)
    return timedelta(**{UNITS[match.group(2)]: int(match.group(1))})


def format_duration(duration: timedelta) -> str:
    """The short form ``parse_duration`` reads (``timedelta(days=3)`` -> ``"3d"``)."""
    seconds = int(duration.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


Duration = Annotated[timedelta, BeforeValidator(parse_duration)]


def join_path(prefix: str, loc: tuple[Any, ...] | list[Any]) -> str:
    """``("steps", 2, "action", "due_in")`` under ``""`` -> ``steps[2].action.due_in``."""
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path = f"{path}.{part}" if path else str(part)
    return path


def problems_of(error: ValidationError, prefix: str) -> list[tuple[str, str]]:
    """Each pydantic error as ``(path, problem)`` in words."""
    problems = []
    for item in error.errors():
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] == "missing":
            message = "required"
        elif item["type"] == "extra_forbidden":
            message = "unknown field"
        problems.append((join_path(prefix, item["loc"]), message))
    return problems


def validated(model: type[Model], raw: Any, prefix: str) -> Model:
    """``model`` validated from ``raw``; InvalidFieldsError names each bad field by path."""
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise InvalidFieldsError(problems_of(error, prefix)) from None
