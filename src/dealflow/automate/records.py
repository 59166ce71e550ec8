"""A record as workflows see it: property values by path (through associations), when a
property last changed, and text templated from them (``Hello {{ first_name }}``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealflow.automate.schema import links_of
from dealflow.core.dialect import dialect_of
from dealflow.crm.objects import object_spec
from dealflow.crm.repository import WorkspaceRepository
from dealflow.crm.values import to_json_value
from dealflow.models import Base, DealCompany, DealContact, PropertyChange

PLACEHOLDER = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)?)\s*\}\}")
_TO_MANY_TABLES: dict[str, tuple[Any, str]] = {
    "contacts": (DealContact, "contact_id"),
    "companies": (DealCompany, "company_id"),
}


class RecordSubject:
    """One record of one workspace, read lazily (associated records load on first use)."""

    def __init__(
        self,
        session: Session,
        workspace_id: int,
        object_type: str,
        record_id: int,
        record: Any = None,
        *,
        read: bool = True,
    ):
        """The subject of a record (read here unless ``record`` is given or ``read`` is
        False; NotFoundError when it does not exist in the workspace). An unread subject
        reads its record on first use, or with others in ``read_all``."""
        self.session = session
        self.workspace_id = workspace_id
        self.object_type = object_spec(object_type).name
        self.record_id = record_id
        self._record: Any = record
        if record is None and read:
            self._record = WorkspaceRepository(session, workspace_id).get(
                object_spec(object_type).model, record_id
            )
        self._linked: dict[str, list[Any]] = {}

    @property
    def record(self) -> Any:
        """The record object (read now when the subject was made ``unread``)."""
        if self._record is None:
            model = object_spec(self.object_type).model
            self._record = WorkspaceRepository(self.session, self.workspace_id).get(
                model, self.record_id
            )
        return self._record

    @classmethod
    def many(
        cls,
        session: Session,
        workspace_id: int,
        object_type: str,
        record_ids: Sequence[int],
        *,
        read: bool = True,
    ) -> dict[int, RecordSubject]:
        """The subjects of the records that exist, by id, read with one query (with
        ``read=False`` only their ids are looked up: ``read_all`` reads them later, for the
        steps that need them)."""
        model = object_spec(object_type).model
        repository = WorkspaceRepository(session, workspace_id)
        if not read:
            existing = repository.existing_ids(model, record_ids)
            return {i: cls(session, workspace_id, object_type, i, read=False) for i in existing}
        records = repository.find_many(model, record_ids)
        return {
            i: cls(session, workspace_id, object_type, i, record) for i, record in records.items()
        }

    @staticmethod
    def read_all(subjects: Sequence[RecordSubject]) -> None:
        """Read the records of the subjects not read yet, with one query per type."""
        RecordSubject._read(
            [subject for subject in subjects if subject._record is None], again=False
        )

    @staticmethod
    def refresh_all(subjects: Sequence[RecordSubject]) -> None:
        """``refresh`` many subjects, reading their records again with one query per type."""
        RecordSubject._read(subjects, again=True)

    @staticmethod
    def _read(subjects: Sequence[RecordSubject], *, again: bool) -> None:
        """Read the subjects' records with one query per type (``again``: also the objects
        the session holds already); their associations load again on first use."""
        by_type: dict[tuple[int, str], list[RecordSubject]] = {}
        for subject in subjects:
            by_type.setdefault((subject.workspace_id, subject.object_type), []).append(subject)
        for (workspace_id, object_type), group in by_type.items():
            model: Any = object_spec(object_type).model
            statement = select(model).where(
                model.workspace_id == workspace_id,
                dialect_of(group[0].session).in_batch(model.id, [s.record_id for s in group]),
            )
            if again:
                statement = statement.execution_options(populate_existing=True)
            found = {record.id: record for record in group[0].session.scalars(statement)}
            for subject in group:
                subject._record = found.get(subject.record_id, subject._record)
                subject._linked.clear()

    @staticmethod
    def forget_linked(subjects: Sequence[RecordSubject]) -> None:
        """Drop the associated records the subjects read (a step may have changed a link);
        they load again on first use."""
        for subject in subjects:
            subject._linked.clear()

    def refresh(self) -> None:
        """Read the record and its associations again (after a step changed them)."""
        self.session.expire(self.record)
        self._linked.clear()

    def values(self, prop: str) -> Sequence[Any]:
        """The values of ``prop`` (one, or one per associated record)."""
        head, _, rest = prop.partition(".")
        if not rest:
            return [_value(self.record, prop)]
        return [_value(linked, rest) for linked in self.linked(head)]

    def value(self, prop: str) -> Any:
        """The first value of ``prop`` (None when unknown)."""
        found = self.values(prop)
        return found[0] if found else None

    def linked(self, name: str) -> list[Any]:
        """The records an association leads to (empty when it is not set)."""
        if name not in self._linked:
            self._linked[name] = self._load_linked(name)
        return self._linked[name]

    def changed_since(self, prop: str, since: datetime) -> bool:
        head, _, rest = prop.partition(".")
        if rest:
            link = links_of(self.object_type)[head]
            targets = [(link.target, r.id, rest) for r in self.linked(head)]
        else:
            targets = [(self.object_type, self.record_id, prop)]
        return any(
            self.session.scalar(
                select(PropertyChange.id)
                .where(
                    PropertyChange.workspace_id == self.workspace_id,
                    PropertyChange.object_type == object_type,
                    PropertyChange.record_id == record_id,
                    PropertyChange.property == name,
                    PropertyChange.changed_at >= since,
                )
                .limit(1)
            )
            is not None
            for object_type, record_id, name in targets
        )

    def render(self, template: str) -> str:
        """``template`` with each ``{{ property }}`` replaced by the record's value (blank when
        unknown). Values are inserted as text, never evaluated."""

        def substitute(match: re.Match[str]) -> str:
            value = to_json_value(self.value(match.group(1)))
            return "" if value is None else str(value)

        return PLACEHOLDER.sub(substitute, template)

    def _load_linked(self, name: str) -> list[Any]:
        link = links_of(self.object_type).get(name)
        if link is None:
            return []
        model = object_spec(link.target).model
        repository = WorkspaceRepository(self.session, self.workspace_id)
        if link.column is not None:
            linked_id = getattr(self.record, link.column)
            found = repository.find(model, linked_id) if linked_id is not None else None
            return [found] if found is not None else []
        table, column = _TO_MANY_TABLES[name]
        ids = self.session.scalars(
            select(getattr(table, column)).where(table.deal_id == self.record_id)
        ).all()
        return [record for i in sorted(ids) if (record := repository.find(model, i)) is not None]


def _value(record: Base, name: str) -> Any:
    if name in record.__table__.columns and name != "properties":
        return getattr(record, name)
    custom = getattr(record, "properties", None) or {}
    return custom.get(name)
