"""Shared column types: timestamps are timezone-aware UTC on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from dealflow.models import Workspace
from tests import backends


def stored(session: Session, workspace: Workspace) -> Workspace:
    session.add(workspace)
    session.flush()
    session.expire(workspace)
    return workspace


def test_a_time_in_any_zone_comes_back_as_the_same_instant_in_utc(session: Session) -> None:
    tokyo_evening = datetime(2026, 3, 2, 18, 30, tzinfo=timezone(timedelta(hours=9)))

    workspace = stored(session, Workspace(slug="tz", name="TZ", created_at=tokyo_evening))

    assert workspace.created_at == tokyo_evening
    assert workspace.created_at.tzinfo == UTC
    assert workspace.created_at.hour == 9


def test_a_naive_time_is_refused(session: Session) -> None:
    with pytest.raises(StatementError, match="naive datetime"), session.begin_nested():
        stored(session, Workspace(slug="naive", name="Naive", created_at=datetime(2026, 3, 2)))


@pytest.mark.skipif(backends.BACKEND != "sqlite", reason="SQLite keeps times as text")
def test_sqlite_keeps_a_time_as_the_utc_text_sqlalchemy_writes(session: Session) -> None:
    workspace = stored(
        session,
        Workspace(slug="text", name="Text", created_at=datetime(2026, 3, 2, 18, 30, 5, 7, UTC)),
    )

    text = session.execute(
        sa.text("SELECT created_at FROM workspaces WHERE id = :id"), {"id": workspace.id}
    ).scalar_one()

    assert text == "2026-03-02 18:30:05.000007"  # what SQLAlchemy's SQLite DATETIME writes
