"""Per-column converters, compiled once per file: raw cell -> typed value or ValueError."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from dealflow.crm import values
from dealflow.crm.importing.mapping import ColumnRule, FilePlan
from dealflow.crm.objects import LIFECYCLE_ALIASES, FieldSpec

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
        return values.parse_number
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
        value = parse(raw)
        if scale is not None:
            value = _scaled(value, scale)
        return value

    return convert


def _scaled(value: Any, scale: Decimal) -> Any:
    if isinstance(value, Decimal):
        return (value * scale).quantize(Decimal("0.01"))
    if isinstance(value, int):
        return int(value * scale)
    if isinstance(value, float):
        return value * float(scale)
    raise ValueError(f"{value!r} is not a number to scale")
