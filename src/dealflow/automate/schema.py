"""The properties a workflow may name on a record: its standard fields, the workspace's
custom properties, and the same on associated records (``company.country`` on a contact,
``contacts.email`` on a deal)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import TypeDecorator
from sqlalchemy.orm import Session

from dealflow.crm.objects import object_spec
from dealflow.crm.properties import definitions

HIDDEN_COLUMNS = ("id", "workspace_id", "properties", "password_hash")


class PropertyKind(StrEnum):
    text = "text"
    number = "number"
    date = "date"
    bool = "bool"


@dataclass(frozen=True)
class PropertyInfo:
    name: str
    kind: PropertyKind
    options: tuple[str, ...] = ()
    custom: bool = False


@dataclass(frozen=True)
class Link:
    """An associated object reachable from a record: one (a column) or many (a table)."""

    target: str
    column: str | None = None


TO_MANY_LINKS: dict[str, dict[str, Link]] = {
    "deals": {"contacts": Link("contacts"), "companies": Link("companies")},
}

_CUSTOM_KINDS = {
    "text": PropertyKind.text,
    "enum": PropertyKind.text,
    "number": PropertyKind.number,
    "date": PropertyKind.date,
    "bool": PropertyKind.bool,
}


def links_of(object_type: str) -> dict[str, Link]:
    """The associations a property path may step through from ``object_type``."""
    spec = object_spec(object_type)
    links = {a.name: Link(a.target, a.column) for a in spec.associations}
    return {**links, **TO_MANY_LINKS.get(spec.name, {})}


class PropertySchema:
    """The properties of one object type in one workspace (loaded once per save or batch)."""

    def __init__(self, session: Session, workspace_id: int, object_type: str) -> None:
        self.object_type = object_spec(object_type).name
        self._session = session
        self.workspace_id = workspace_id
        self._own: dict[str, dict[str, PropertyInfo]] = {}

    def resolve(self, path: str) -> PropertyInfo:
        """The property a path names; KeyError with a message a person can act on."""
        head, _, rest = path.partition(".")
        if not rest:
            return self._property(self.object_type, path)
        link = links_of(self.object_type).get(head)
        if link is None:
            choices = ", ".join(links_of(self.object_type)) or "none"
            raise KeyError(
                f"{self.object_type} have no association {head!r} (associations: {choices})"
            )
        if "." in rest:
            raise KeyError(f"{path!r}: follow one association at most (like company.country)")
        return self._property(link.target, rest)

    def _property(self, object_type: str, name: str) -> PropertyInfo:
        properties = self.properties_of(object_type)
        if name not in properties:
            raise KeyError(f"{object_type} have no property {name!r}")
        return properties[name]

    def properties_of(self, object_type: str) -> dict[str, PropertyInfo]:
        """Standard columns and custom properties of ``object_type``, by name."""
        if object_type not in self._own:
            self._own[object_type] = _standard(object_type)
            spec = object_spec(object_type)
            if spec.has_custom_properties:
                for name, row in definitions(self._session, self.workspace_id, spec.name).items():
                    self._own[object_type][name] = PropertyInfo(
                        name, _CUSTOM_KINDS[row.value_type], tuple(row.options or ()), custom=True
                    )
        return self._own[object_type]


def _standard(object_type: str) -> dict[str, PropertyInfo]:
    spec = object_spec(object_type)
    result: dict[str, PropertyInfo] = {}
    for column in spec.model.__table__.columns:
        if column.key in HIDDEN_COLUMNS:
            continue
        column_type = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
        python_type: Any = column_type.python_type
        if python_type in (dict, list, object):
            continue  # JSON documents (score reasons...) are not filterable values
        field = spec.field_index.get(column.key)
        result[column.key] = PropertyInfo(
            column.key, _kind(python_type), field.options if field else ()
        )
    return result


def _kind(python_type: Any) -> PropertyKind:
    if python_type is bool:
        return PropertyKind.bool
    if python_type in (int, float, Decimal):
        return PropertyKind.number
    if python_type in (date, datetime):
        return PropertyKind.date
    return PropertyKind.text
