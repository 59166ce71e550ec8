"""Shared column types: timestamps are timezone-aware UTC on every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from dealflow.models import Workspace


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
