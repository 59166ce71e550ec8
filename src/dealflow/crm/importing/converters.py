"""Per-column converters, compiled once per file: raw cell -> typed value or ValueError."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from dealflow.crm import values
from dealflow.crm.importing.mapping import ColumnRule, FilePlan
from dealflow.crm.objects import LIFECYCLE_ALIASES, FieldSpec, object_spec

Converter = Callable[[Any], Any]

BLANK = object()
"""Returned for a cell that holds no value (empty, or one of the rule's ``missing`` words)."""


def field_parser(field: FieldSpec, rule: ColumnRule, phone_region: str | None) -> Converter:
    """The parser of a standard field's kind, honouring the rule's formats."""
    kind = field.kind
    if kind == "email":
        return values.parse_email
    if kind == "phone":
        return values.phone_parser(phone_region)
    if kind == "domain":
        return values.parse_domain
    if kind == "integer":
        return values.parse_integer
    if kind == "money":
        return values.parse_money
    if kind == "date":
        return values.date_parser(rule.formats)
    if kind == "datetime":
        return values.datetime_parser(rule.formats)
    if kind == "bool":
        return values.parse_bool
    if kind == "currency":
        return values.parse_currency
    if kind == "enum":
        aliases = LIFECYCLE_ALIASES if field.name == "lifecycle_stage" else None
        return values.enum_parser(field.options, aliases)
    return values.parse_text


def property_parser(rule: ColumnRule) -> Converter:
    """The parser of a custom property; values are stored as JSON (dates as ISO text)."""
    if rule.property_type == "number":
        return _parse_finite_number
    if rule.property_type == "bool":
        return values.parse_bool
    if rule.property_type == "date":
        parse_date = values.date_parser(rule.formats)
        return lambda raw: parse_date(raw).isoformat()
    if rule.property_type == "enum":
        return values.enum_parser(rule.property_options)
    return values.parse_text


def compile_rule(rule: ColumnRule, plan: FilePlan) -> Converter:
    """The full converter of one rule: blanks, ``missing`` words, value maps, scale, parser."""
    if rule.target == "association":
        parse: Converter = values.parse_text
    elif rule.target == "property":
        parse = property_parser(rule)
    else:
        parse = field_parser(plan.spec.field_index[rule.name], rule, plan.phone_region)
    missing = frozenset(rule.missing_values)
    value_map = rule.value_map
    scale = rule.scale
    limit = _text_limit(rule, plan)
    if parse is values.parse_text and not missing and value_map is None and scale is None:
        return _convert_text if limit is None else _text_within(limit)
    if rule.target == "field" and plan.spec.field_index[rule.name].kind == "integer":
        parse = _within_column_range(parse, plan.spec.model.__table__.c[rule.name].type)

    def convert(raw: Any) -> Any:
        if raw is None or raw == "":
            return BLANK
        if isinstance(raw, str):
            raw = raw.strip()
            if not raw or raw in missing:
                return BLANK
        if value_map is not None:
            key = str(raw)
            if key not in value_map:
                raise ValueError(f"{raw!r} is not one of the mapped values: {', '.join(value_map)}")
            raw = value_map[key]
        try:
            value = parse(raw)
            if scale is not None:
                value = _scaled(value, scale)
        except ArithmeticError as error:  # a number or date beyond what Python can hold
            raise ValueError(f"{raw!r} is out of range") from error
        if limit is not None and isinstance(value, str) and len(value) > limit:
            raise ValueError(_too_long(value, limit))
        return value

    return convert


def _convert_text(raw: Any) -> Any:
    """The common case, kept lean: text columns without value maps or missing words."""
    if raw.__class__ is str:
        raw = raw.strip()
        return raw if raw else BLANK
    return BLANK if raw is None or raw == "" else str(raw)


def _text_within(limit: int) -> Converter:
    """``_convert_text`` for a column that holds at most ``limit`` characters."""

    def convert(raw: Any) -> Any:
        if raw.__class__ is str:
            raw = raw.strip()
            if not raw:
                return BLANK
        elif raw is None or raw == "":
            return BLANK
        else:
            raw = str(raw)
        if len(raw) > limit:
            raise ValueError(_too_long(raw, limit))
        return raw

    return convert


def _too_long(text: str, limit: int) -> str:
    return f"{text[:20]!r}... is {len(text)} characters long; at most {limit} fit"


def _text_limit(rule: ColumnRule, plan: FilePlan) -> int | None:
    """How many characters the rule's column holds (None: no limit, or not stored)."""
    if rule.target == "field":
        column = plan.spec.model.__table__.c.get(rule.name)
    elif rule.target == "association" and rule.create_missing:
        association = plan.spec.association(rule.name)
        assert association is not None
        column = object_spec(association.target).model.__table__.c.get("name")
    else:
        return None
    length = getattr(column.type, "length", None) if column is not None else None
    return length if isinstance(length, int) else None


INTEGER_BOUNDS = {"Integer": 2**31, "BigInteger": 2**63}


def _within_column_range(parse: Converter, column_type: Any) -> Converter:
    """``parse`` refusing whole numbers too large for the column (32-bit on PostgreSQL)."""
    bound = INTEGER_BOUNDS.get(type(column_type).__name__, 2**31)

    def parse_in_range(raw: Any) -> Any:
        value = parse(raw)
        if not -bound <= value < bound:
            raise ValueError(f"{raw!r} is too large (at most {bound - 1:,})")
        return value

    return parse_in_range


def _parse_finite_number(raw: Any) -> float:
    value = values.parse_number(raw)
    if not math.isfinite(value):
        raise ValueError(f"{raw!r} is too large a number")
    return value


def _scaled(value: Any, scale: Decimal) -> Any:
    if isinstance(value, Decimal):
        return (value * scale).quantize(Decimal("0.01"))
    if isinstance(value, int):
        return int(value * scale)
    if isinstance(value, float):
        return value * float(scale)
    raise ValueError(f"{value!r} is not a number to scale")
