"""Fields of a record as a person or program sends them (API, forms): parsed by their kind,
checked against the column they land in, every problem named by its field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Integer, String

from dealflow.core.errors import InvalidFieldsError
from dealflow.crm import values
from dealflow.crm.importing.converters import field_parser
from dealflow.crm.importing.mapping import ColumnRule
from dealflow.crm.objects import FieldSpec, object_spec

LINK_SUFFIX = "_id"
NUMERIC_KINDS = frozenset({"integer", "money"})
MAX_INTEGER = {4: 2**31, 8: 2**63}
"""Exclusive bound of a column's integers by byte width (Integer is 4 bytes on PostgreSQL)."""


def parse_fields(object_type: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Typed values of ``raw`` (standard fields, ``*_id`` links and ``properties``), or
    InvalidFieldsError listing every unknown field, bad value, empty required value and
    value too long for its column."""
    spec = object_spec(object_type)
    columns = spec.model.__table__.columns
    problems: list[tuple[str, str]] = []
    parsed: dict[str, Any] = {}
    for name, value in raw.items():
        column = columns.get(name)
        if name == "properties" and spec.has_custom_properties:
            if value is None:
                continue
            if not isinstance(value, Mapping):
                problems.append((name, "give an object of custom property values"))
            else:
                parsed[name] = dict(value)
            continue
        if column is None or name in ("id", "workspace_id", "properties"):
            problems.append((name, f"{spec.name} have no field {name!r}"))
            continue
        try:
            parsed[name] = _parsed(spec.field_index.get(name), column, value)
        except ValueError as error:
            problems.append((name, str(error)))
    if problems:
        raise InvalidFieldsError(problems)
    return parsed


def _parsed(field: FieldSpec | None, column: Any, value: Any) -> Any:
    if values.is_blank(value):
        if not column.nullable:
            raise ValueError("cannot be empty")
        return None
    if field is not None:
        rule = ColumnRule(column=field.name, target="field", name=field.name)
        if field.kind in NUMERIC_KINDS:
            value = _small_number(value)
        typed = field_parser(field, rule, None)(value)
    elif column.key.endswith(LINK_SUFFIX):
        typed = values.parse_integer(_small_number(value))
    else:
        raise ValueError("cannot be set")
    length = column.type.length if isinstance(column.type, String) else None
    if length is not None and len(typed) > length:
        raise ValueError(f"at most {length} characters")
    if isinstance(typed, int) and isinstance(column.type, Integer):
        bound = MAX_INTEGER[8 if column.key.endswith(LINK_SUFFIX) else 4]
        if not -bound <= typed < bound:
            raise ValueError(f"{typed} is out of range")
    return typed


def _small_number(value: Any) -> Any:
    """Refuse text so long that turning it into a number would itself be the problem."""
    if isinstance(value, str) and len(value) > 30:
        raise ValueError(f"{value[:30]!r}… is not a number")
    return value
