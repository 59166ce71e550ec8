"""Every read of CRM records goes through a repository bound to one workspace.

Isolation is enforced here: each query carries the workspace filter, so no call can return
another workspace's rows, whatever ids a caller passes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealflow.core.dialect import dialect_of
from dealflow.core.errors import NotFoundError
from dealflow.models import Base

Model = TypeVar("Model", bound=Base)


class WorkspaceRepository:
    """Reads of one workspace's records."""

    def __init__(self, session: Session, workspace_id: int) -> None:
        self.session = session
        self.workspace_id = workspace_id

    def get(self, model: type[Model], record_id: int) -> Model:
        """The record, or NotFoundError when it does not exist in this workspace."""
        record = self.find(model, record_id)
        if record is None:
            raise NotFoundError(f"{model.__tablename__} #{record_id} not found in this workspace")
        return record

    def find(self, model: type[Model], record_id: int) -> Model | None:
        statement = select(model).filter_by(id=record_id, workspace_id=self.workspace_id)
        return self.session.scalars(statement).one_or_none()

    def find_many(self, model: type[Model], record_ids: Sequence[int]) -> dict[int, Model]:
        """The records of ``record_ids`` that exist in this workspace, by id (one query)."""
        column: Any = model.id  # type: ignore[attr-defined]
        statement = select(model).where(
            dialect_of(self.session).in_batch(column, record_ids),
            model.workspace_id == self.workspace_id,  # type: ignore[attr-defined]
        )
        return {record.id: record for record in self.session.scalars(statement)}  # type: ignore[attr-defined]

    def existing_ids(self, model: type[Model], record_ids: Sequence[int]) -> set[int]:
        """Which of ``record_ids`` exist in this workspace (ids only: no record is built)."""
        column: Any = model.id  # type: ignore[attr-defined]
        statement = select(column).where(
            dialect_of(self.session).in_batch(column, record_ids),
            model.workspace_id == self.workspace_id,  # type: ignore[attr-defined]
        )
        return set(self.session.scalars(statement))

    def find_by(self, model: type[Model], **criteria: Any) -> Model | None:
        """The one record whose columns equal ``criteria`` (None when there is none)."""
        statement = select(model).filter_by(workspace_id=self.workspace_id, **criteria)
        return self.session.scalars(statement.limit(2)).one_or_none()

    def list(
        self, model: type[Model], *, limit: int = 100, offset: int = 0, **criteria: Any
    ) -> Sequence[Model]:
        statement = (
            select(model)
            .filter_by(workspace_id=self.workspace_id, **criteria)
            .order_by(model.id)  # type: ignore[attr-defined]
            .limit(limit)
            .offset(offset)
        )
        return self.session.scalars(statement).all()

    def count(self, model: type[Model], **criteria: Any) -> int:
        statement = (
            select(func.count())
            .select_from(model)
            .filter_by(workspace_id=self.workspace_id, **criteria)
        )
        return int(self.session.scalar(statement) or 0)
