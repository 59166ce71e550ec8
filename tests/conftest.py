"""Shared fixtures: a real database per run, per-test rollback, a settable clock, factories."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from dealflow import db
from dealflow.core import clock
from dealflow.core.clock import FrozenClock
from dealflow.crm.workspaces import ensure_workspace
from dealflow.models import Workspace
from tests import backends


def pytest_report_header() -> str:
    return f"dealflow test database: {backends.BACKEND}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    skip = pytest.mark.skip(reason="PostgreSQL-only behaviour; set DEALFLOW_TEST_POSTGRES_URL")
    for item in items:
        if item.get_closest_marker("postgres") and backends.BACKEND != "postgresql":
            item.add_marker(skip)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """A migrated SQLite file to copy for each fresh database (PostgreSQL migrates anew)."""
    backends.check_postgres_reachable()
    if backends.BACKEND != "sqlite":
        return None
    directory = tmp_path_factory.mktemp("template")
    with backends.fresh_database(directory) as url:
        return Path(url.removeprefix("sqlite:///"))


@pytest.fixture(scope="session")
def engine(
    tmp_path_factory: pytest.TempPathFactory, database_template: Path | None
) -> Iterator[Engine]:
    """One migrated database for the whole run; tests isolate by rollback."""
    with backends.fresh_database(tmp_path_factory.mktemp("db"), database_template) as url:
        engine = backends.engine_for(url)
        yield engine
        engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, even if the code under test commits."""
    with engine.connect() as connection:
        transaction = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
        finally:
            session.close()
            transaction.rollback()


@pytest.fixture
def database_url(tmp_path: Path, database_template: Path | None) -> Iterator[str]:
    """A fresh, migrated, empty database of the run's backend, for end-to-end tests."""
    with backends.fresh_database(tmp_path, database_template) as url:
        yield url


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a fresh database whose commits are real, for code that opens its own
    transactions (workers, units of work) or needs several connections."""
    engine = db.make_engine(database_url)
    yield db.session_factory(engine)
    engine.dispose()


@pytest.fixture
def frozen_clock() -> Iterator[FrozenClock]:
    """Time stands still at 2026-03-02 09:00 UTC until the test moves it."""
    with clock.frozen_at(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) as frozen:
        yield frozen


@pytest.fixture
def workspace(session: Session) -> Workspace:
    return ensure_workspace(session, "acme", "Acme Sales")
