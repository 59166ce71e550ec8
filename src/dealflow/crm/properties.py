"""Custom properties: typed definitions per object type, and validation of their values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.core import clock
from dealflow.core.errors import InvalidInputError
from dealflow.crm import values
from dealflow.crm.objects import PROPERTY_VALUE_TYPES, object_spec
from dealflow.models import PropertyDefinition


def define_property(
    session: Session,
    workspace_id: int,
    object_type: str,
    name: str,
    value_type: str,
    *,
    label: str | None = None,
    options: Sequence[str] | None = None,
    description: str | None = None,
) -> PropertyDefinition:
    """Create a custom property, or return the existing one if it has the same type."""
    spec = object_spec(object_type)
    if not spec.has_custom_properties:
        raise InvalidInputError(f"{spec.name} have no custom properties")
    if value_type not in PROPERTY_VALUE_TYPES:
        raise InvalidInputError(
            f"property {name!r}: type {value_type!r} is not one of "
            + ", ".join(PROPERTY_VALUE_TYPES)
        )
    columns = {column.key for column in spec.model.__table__.columns}
    if name in spec.field_index or spec.association(name) or name in columns:
        raise InvalidInputError(
            f"property {name!r} is a standard field of {spec.name}; pick another name"
        )
    if value_type == "enum" and not options:
        raise InvalidInputError(f"enum property {name!r} needs a list of options")
    existing = definitions(session, workspace_id, spec.name).get(name)
    if existing is not None:
        if existing.value_type != value_type:
            raise InvalidInputError(
                f"property {name!r} of {spec.name} already exists as {existing.value_type}, "
                f"not {value_type}"
            )
        if value_type == "enum" and options:
            missing = [o for o in options if o not in (existing.options or [])]
            if missing:
                existing.options = [*(existing.options or []), *missing]
        return existing
    definition = PropertyDefinition(
        workspace_id=workspace_id,
        object_type=spec.name,
        name=name,
        label=label or name.replace("_", " ").capitalize(),
        value_type=value_type,
        options=list(options) if options else None,
        description=description,
        created_at=clock.now(),
    )
    session.add(definition)
    session.flush()
    return definition


def definitions(
    session: Session, workspace_id: int, object_type: str
) -> dict[str, PropertyDefinition]:
    rows = session.scalars(
        select(PropertyDefinition).where(
            PropertyDefinition.workspace_id == workspace_id,
            PropertyDefinition.object_type == object_type,
        )
    )
    return {row.name: row for row in rows}


def parser_for(definition: PropertyDefinition) -> values.Parser:
    """The value parser of a custom property; stored values are JSON (dates as ISO text)."""
    if definition.value_type == "number":
        return values.parse_number
    if definition.value_type == "bool":
        return values.parse_bool
    if definition.value_type == "date":
        parse_date = values.date_parser()
        return lambda raw: parse_date(raw).isoformat()
    if definition.value_type == "enum":
        return values.enum_parser(definition.options or [])
    return values.parse_text


def validate_custom(
    definitions_by_name: Mapping[str, PropertyDefinition], raw: Mapping[str, Any]
) -> dict[str, Any]:
    """Typed custom values; an unknown name or a bad value raises with the property named."""
    result: dict[str, Any] = {}
    for name, value in raw.items():
        definition = definitions_by_name.get(name)
        if definition is None:
            raise InvalidInputError(f"unknown property {name!r}: define it first")
        if values.is_blank(value):
            result[name] = None
            continue
        try:
            result[name] = parser_for(definition)(value)
        except ValueError as error:
            raise InvalidInputError(f"property {name!r}: {error}") from error
    return result
